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

    /** Per route's settings: without and with Expect: 100-continue. */
    private final Map<RouteSettings, RequestConfig[]> configs = new ConcurrentHashMap<>();

    /** The request settings for {@code route}, for a request that does or does not expect 100 Continue. */
    RequestConfig of(RouteSettings route, boolean expectContinue) {
        if (configs.size() > LIMIT) {
            configs.clear();
        }
        RequestConfig[] both = configs.computeIfAbsent(route, settings -> new RequestConfig[] {
            UpstreamClient.requestConfig(settings, false), UpstreamClient.requestConfig(settings, true)});
        return both[expectContinue ? 1 : 0];
    }

    int size() {
        return configs.size();
    }
}
