package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.RouteSettings;
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

    /** The request settings for {@code route}. */
    ForRoute of(RouteSettings route) {
        if (configs.size() > LIMIT) {
            configs.clear();
        }
        return configs.computeIfAbsent(route, settings -> new ForRoute(UpstreamClient.requestConfig(settings, false),
                UpstreamClient.requestConfig(settings, true)));
    }

    int size() {
        return configs.size();
    }
}
