package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.RouteSettings;
import org.apache.hc.client5.http.config.RequestConfig;

/**
 * The client library's request settings for each route's settings, made once rather than per request.
 */
final class RequestConfigs {

    static final int LIMIT = RecentCache.LIMIT;

    /** A route's request settings, for a request without and with Expect: 100-continue. */
    record ForRoute(RequestConfig plain, RequestConfig expectContinue) {
    }

    private final RecentCache<RouteSettings, ForRoute> configs = new RecentCache<>(settings -> new ForRoute(
            UpstreamClient.requestConfig(settings, false), UpstreamClient.requestConfig(settings, true)));

    /** The request settings for {@code route}. */
    ForRoute of(RouteSettings route) {
        return configs.of(route);
    }

    int size() {
        return configs.size();
    }
}
