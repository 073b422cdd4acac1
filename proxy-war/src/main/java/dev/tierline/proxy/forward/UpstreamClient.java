package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.ProxySettings;
import dev.tierline.proxy.config.RouteSettings;
import java.net.InetAddress;
import java.util.Optional;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Builds the asynchronous HTTP client the web tier forwards with; each setting says why it is what it is.
 * It runs on a few I/O reactor threads, so no request holds a thread while it waits on a backend.
 */
public final class UpstreamClient {

    /** A connection idle longer than this is checked for a close by the backend before it is reused. */
    static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofMilliseconds(500);

    /**
     * The async client adds its own User-Agent when a request has none; this placeholder, removed again by
     * the last interceptor, keeps the client's request as it was.
     */
    private static final String NO_USER_AGENT = "tierline-no-user-agent";

    static final int BUFFER_SIZE = 32 * 1024;

    private UpstreamClient() {
    }

    public static CloseableHttpAsyncClient create(ProxySettings settings) {
        RouteSettings route = settings.route();
        PoolingAsyncClientConnectionManager pool = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(settings.maxConnectionsPerBackend())
                .setMaxConnTotal(settings.maxConnectionsPerBackend() * Math.max(1, settings.backends().size()))
                // LAX: no global lock on lease and release, which matters more than strict limits here.
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                // LIFO reuses the warmest connections and lets the others idle out.
                .setConnPoolPolicy(PoolReusePolicy.LIFO)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(route.connectTimeout()))
                        .setSocketTimeout(Timeout.of(route.responseTimeout()))
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                        .build())
                .build();
        CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setConnectionManager(pool)
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(Runtime.getRuntime().availableProcessors())
                        // Small messages go out at once rather than waiting for Nagle's algorithm.
                        .setTcpNoDelay(true)
                        .build())
                // HTTP/1.1 to the app tier, as nginx speaks to its upstreams.
                .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                // Each connection holds three buffers of this size, 96 KiB in all: the largest part of a
                // request in flight. 8 KiB would save most of it, but with it a request that followed a
                // departed client's exchange was cut off in the tests; until that is understood, the
                // library's default stays, named here.
                .setHttp1Config(Http1Config.custom().setBufferSize(BUFFER_SIZE).build())
                .setRoutePlanner(new SourceAddressRoutePlanner(settings.sourceAddress()))
                // 3xx responses belong to the client: following them here would hide them and re-send bodies.
                .disableRedirectHandling()
                // A cookie store shared by every client would mix their sessions.
                .disableCookieManagement()
                // Only the balancer may decide to try again; a silent retry could run a POST twice.
                .disableAutomaticRetries()
                // Bodies pass through as the backend encoded them, and no Accept-Encoding is invented.
                .disableContentCompression()
                // Credentials are the client's business, never cached or answered by the proxy.
                .disableAuthCaching()
                // Connections carry no per-user state, so any request may reuse any pooled connection.
                .disableConnectionState()
                // Closes pooled connections before the backend's keep-alive timeout does, so a request is
                // not sent down a connection the backend is closing.
                .evictIdleConnections(TimeValue.of(route.idleTimeout()))
                .evictExpiredConnections()
                .setUserAgent(NO_USER_AGENT)
                .addRequestInterceptorLast(removePlaceholderUserAgent())
                .setDefaultRequestConfig(requestConfig(route, false))
                .build();
        client.start();
        return client;
    }

    /** The per-request settings of a route. */
    static RequestConfig requestConfig(RouteSettings route, boolean expectContinue) {
        return RequestConfig.custom()
                .setResponseTimeout(Timeout.of(route.responseTimeout()))
                // When every pooled connection is busy, a request waits for one as long as it would wait
                // for the backend's answer: the pool's limit queues load instead of refusing it.
                .setConnectionRequestTimeout(Timeout.of(route.responseTimeout()))
                .setRedirectsEnabled(false)
                .setAuthenticationEnabled(false)
                .setContentCompressionEnabled(false)
                // Only when the client itself sent Expect: 100-continue, so it waits for the backend's answer.
                .setExpectContinueEnabled(expectContinue)
                .build();
    }

    private static HttpRequestInterceptor removePlaceholderUserAgent() {
        return (request, entity, context) -> {
            Header userAgent = request.getFirstHeader(HttpHeaders.USER_AGENT);
            if (userAgent != null && NO_USER_AGENT.equals(userAgent.getValue())) {
                request.removeHeaders(HttpHeaders.USER_AGENT);
            }
        };
    }

    /** Connects from the configured local address, which the app tier's RemoteIpValve trusts. */
    private static final class SourceAddressRoutePlanner extends DefaultRoutePlanner {

        private final InetAddress sourceAddress;

        SourceAddressRoutePlanner(Optional<InetAddress> sourceAddress) {
            super(DefaultSchemePortResolver.INSTANCE);
            this.sourceAddress = sourceAddress.orElse(null);
        }

        @Override
        protected InetAddress determineLocalAddress(HttpHost firstHop, HttpContext context) {
            return sourceAddress;
        }
    }
}
