package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.RouteSettings;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.config.RequestConfig;

/**
 * The client library's request settings for each route's settings, made once rather than per request. Each
 * reload of the configuration can bring new route settings, so the cache is bounded: past its limit it starts
 * again, instead of keeping every settings a long-running proxy ever had.
 */
final class RequestConfigs {

    static final int LIMIT = 256;

    /** A route's request settings, for a request without and with Expect: 100-continue. */
    record ForRoute(RequestConfig plain, RequestConfig expectContinue) {
    }

    private final Map<RouteSettings, ForRoute> configs = new ConcurrentHashMap<>();

    /** The settings objects seen lately, matched by identity: a record's hash walks all its fields. */
    private volatile Recent[] recent = new Recent[0];

    private record Recent(RouteSettings settings, ForRoute configs) {
    }

    /** The request settings for {@code route}. */
    ForRoute of(RouteSettings route) {
        Recent[] seen = recent;
        for (Recent entry : seen) {
            if (entry.settings() == route) {
                return entry.configs();
            }
        }
        if (configs.size() > LIMIT) {
            configs.clear();
        }
        ForRoute found = configs.computeIfAbsent(route, settings -> new ForRoute(
                UpstreamClient.requestConfig(settings, false), UpstreamClient.requestConfig(settings, true)));
        // Starts again when full, as the map does: a reload brings new settings objects.
        Recent[] next = seen.length < RECENT ? Arrays.copyOf(seen, seen.length + 1) : new Recent[1];
        next[next.length - 1] = new Recent(route, found);
        recent = next;
        return found;
    }

    private static final int RECENT = 16;

    int size() {
        return configs.size();
    }
}
