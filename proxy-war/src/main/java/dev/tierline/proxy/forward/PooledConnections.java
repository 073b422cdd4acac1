package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.config.RouteSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The settings of the HTTP/1.1 pool's connections to each backend, chiefly how long one may stay unused:
 * below the backend's own keep-alive timeout, so the proxy never sends a request down a connection the
 * backend is closing. A configuration reload replaces them all at once.
 */
final class PooledConnections {

    /**
     * One configuration's settings.
     *
     * @param byOrigin by backend origin ({@link Backend#origin}), the unit the pool keeps connections by
     * @param byTarget the same by the pool's own key, filled as connections are leased, so a lease builds no
     *     string
     * @param longestIdle idle connections are closed in the background after the longest idle timeout of any
     *     backend
     */
    private record Settings(Map<String, ConnectionConfig> byOrigin, Map<HttpHost, ConnectionConfig> byTarget,
            TimeValue longestIdle) {
    }

    private final RouteSettings route;
    private final ConnectionConfig defaults;
    private volatile Settings settings;
    private volatile PoolingAsyncClientConnectionManager pool;

    /** @param idleTimeout the idle timeout of backends the configuration does not name */
    PooledConnections(RouteSettings route, Duration idleTimeout) {
        this.route = route;
        this.defaults = config(idleTimeout);
        this.settings = new Settings(Map.of(), new ConcurrentHashMap<>(), TimeValue.of(idleTimeout));
    }

    /** Asked by the pool at every lease: a connection idle past this config's idle timeout is closed instead. */
    ConnectionConfig of(HttpRoute connection) {
        Settings current = settings;
        return current.byTarget().computeIfAbsent(connection.getTargetHost(), target -> current.byOrigin()
                .getOrDefault(Backend.origin(target.getSchemeName(), target.getHostName(), target.getPort()), defaults));
    }

    /** @param timeouts by backend origin; backends not named keep the default */
    void useIdleTimeouts(Map<String, Duration> timeouts) {
        Map<String, ConnectionConfig> configs = new HashMap<>();
        Duration longest = defaults.getIdleTimeout().toDuration();
        for (Map.Entry<String, Duration> entry : timeouts.entrySet()) {
            configs.put(entry.getKey(), config(entry.getValue()));
            longest = entry.getValue().compareTo(longest) > 0 ? entry.getValue() : longest;
        }
        settings = new Settings(Map.copyOf(configs), new ConcurrentHashMap<>(), TimeValue.of(longest));
    }

    /** How many pooled connections are leased, idle and waited for, and the most there may be; empty before the pool. */
    Optional<PoolUse> use() {
        PoolingAsyncClientConnectionManager current = pool;
        if (current == null) {
            return Optional.empty();
        }
        PoolStats stats = current.getTotalStats();
        return Optional.of(new PoolUse(stats.getLeased(), stats.getAvailable(), stats.getPending(), stats.getMax()));
    }

    void sweepIn(PoolingAsyncClientConnectionManager pool) {
        this.pool = pool;
    }

    /**
     * Closes connections idle longer than any backend allows. Those of backends with shorter idle timeouts are
     * already never reused; this only gives their sockets back.
     */
    void sweep() {
        PoolingAsyncClientConnectionManager current = pool;
        if (current != null) {
            current.closeIdle(settings.longestIdle());
        }
    }

    private ConnectionConfig config(Duration idleTimeout) {
        return ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(route.connectTimeout()))
                .setSocketTimeout(Timeout.of(route.responseTimeout()))
                .setValidateAfterInactivity(UpstreamClient.VALIDATE_AFTER_INACTIVITY)
                .setIdleTimeout(Timeout.of(idleTimeout))
                .build();
    }
}
