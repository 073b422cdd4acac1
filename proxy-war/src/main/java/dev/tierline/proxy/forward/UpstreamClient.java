package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.ProxySettings;
import java.net.InetAddress;
import java.util.Optional;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/** Builds the HTTP client the web tier forwards with; each setting says why it is what it is. */
public final class UpstreamClient {

    /**
     * Pooled connections idle this long are closed. Tomcat closes an idle keep-alive connection after its
     * connectionTimeout (20 s in tomcat-conf); closing ours first avoids sending a request down a
     * connection the backend is closing, which would fail it with nothing received.
     */
    static final TimeValue MAX_IDLE = TimeValue.ofSeconds(10);

    /** A connection idle longer than this is checked for a close by the backend before it is reused. */
    static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofMilliseconds(500);

    private UpstreamClient() {
    }

    public static CloseableHttpClient create(ProxySettings settings) {
        Timeout connectTimeout = Timeout.of(settings.connectTimeout());
        Timeout responseTimeout = Timeout.of(settings.responseTimeout());
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(settings.maxConnectionsPerBackend())
                .setMaxConnTotal(settings.maxConnectionsPerBackend() * Math.max(1, settings.backends().size()))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connectTimeout)
                        .setSocketTimeout(responseTimeout)
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                        .build())
                // Small messages go out at once rather than waiting for Nagle's algorithm.
                .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(pool)
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
                // The client's User-Agent is forwarded as it is; the proxy does not add its own.
                .disableDefaultUserAgent()
                // Connections carry no per-user state, so any request may reuse any pooled connection.
                .disableConnectionState()
                .evictIdleConnections(MAX_IDLE)
                .evictExpiredConnections()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(responseTimeout)
                        // Waiting for a pooled connection counts as part of connecting.
                        .setConnectionRequestTimeout(connectTimeout)
                        .setRedirectsEnabled(false)
                        .setAuthenticationEnabled(false)
                        .setContentCompressionEnabled(false)
                        // The servlet container already answered the client's Expect: 100-continue.
                        .setExpectContinueEnabled(false)
                        .build())
                .build();
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
