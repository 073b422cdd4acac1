package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.Backend;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.pool.LaxConnPool;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.util.TimeValue;

/**
 * How long the HTTP/1.1 pool's connections to each backend may stay unused: below the backend's own
 * keep-alive timeout, so the proxy never sends a request down a connection the backend is closing. A
 * configuration reload replaces them all at once.
 */
final class PooledConnections {

    /**
     * One configuration's idle timeouts, in milliseconds (the pool's own clock).
     *
     * @param byOrigin by backend origin ({@link Backend#origin}), the unit the pool keeps connections by
     * @param byTarget the same by the pool's own key, filled as connections are leased, so a lease builds no
     *     string
     * @param longestIdle idle connections are closed in the background after the longest idle timeout of any
     *     backend
     */
    private record Settings(Map<String, Long> byOrigin, Map<HttpHost, Long> byTarget, TimeValue longestIdle) {
    }

    private final Long defaultIdle;
    private volatile Settings settings;
    private volatile LaxConnPool<HttpHost, ?> pool;

    /** @param idleTimeout the idle timeout of backends the configuration does not name */
    PooledConnections(Duration idleTimeout) {
        this.defaultIdle = idleTimeout.toMillis();
        this.settings = new Settings(Map.of(), new ConcurrentHashMap<>(), TimeValue.of(idleTimeout));
    }

    /** Asked at every lease: a connection idle longer than this, in milliseconds, is closed instead of reused. */
    long idleMillis(HttpHost target) {
        Settings current = settings;
        return current.byTarget().computeIfAbsent(target, host -> current.byOrigin()
                .getOrDefault(Backend.origin(host.getSchemeName(), host.getHostName(), host.getPort()), defaultIdle));
    }

    /** @param timeouts by backend origin; backends not named keep the default */
    void useIdleTimeouts(Map<String, Duration> timeouts) {
        Map<String, Long> millis = new HashMap<>();
        long longest = defaultIdle;
        for (Map.Entry<String, Duration> entry : timeouts.entrySet()) {
            long idle = entry.getValue().toMillis();
            millis.put(entry.getKey(), idle);
            longest = Math.max(longest, idle);
        }
        settings = new Settings(Map.copyOf(millis), new ConcurrentHashMap<>(), TimeValue.ofMilliseconds(longest));
    }

    /** How many pooled connections are leased, idle and waited for, and the most there may be; empty before the pool. */
    Optional<PoolUse> use() {
        LaxConnPool<HttpHost, ?> current = pool;
        if (current == null) {
            return Optional.empty();
        }
        PoolStats stats = current.getTotalStats();
        return Optional.of(new PoolUse(stats.getLeased(), stats.getAvailable(), stats.getPending(), stats.getMax()));
    }

    void sweepIn(LaxConnPool<HttpHost, ?> pool) {
        this.pool = pool;
    }

    /**
     * Closes connections idle longer than any backend allows (those of backends with shorter idle timeouts are
     * already never reused; this only gives their sockets back), and fails the requests that have waited for a
     * connection past their deadline.
     */
    void sweep() {
        LaxConnPool<HttpHost, ?> current = pool;
        if (current != null) {
            current.closeIdle(settings.longestIdle());
            current.validatePendingRequests();
        }
    }
}
