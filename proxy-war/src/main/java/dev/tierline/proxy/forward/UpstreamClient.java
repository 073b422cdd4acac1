package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.config.ClusterConfig;
import dev.tierline.proxy.config.Config;
import dev.tierline.proxy.config.RouteSettings;
import dev.tierline.proxy.config.UpstreamProtocol;
import dev.tierline.proxy.config.UpstreamSettings;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.net.URIAuthority;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * How the web tier speaks to the app tier, for the configured protocol; each setting says why it is what it
 * is. HTTP/1.1 runs on HttpCore's reactor and pool directly ({@link Http1Upstream}); h2c on HttpClient's
 * HTTP/2 client, for its multiplexed connection per backend. Either way a few I/O reactor threads carry every
 * exchange, so no request holds a thread while it waits on a backend.
 */
public final class UpstreamClient implements Closeable {

    /** An idle HTTP/2 connection older than this is checked for a close by the backend before it is reused. */
    static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofMilliseconds(500);

    /**
     * The async client adds its own User-Agent when a request has none; this placeholder, removed again by
     * the last interceptor, keeps the client's request as it was.
     */
    private static final String NO_USER_AGENT = "tierline-no-user-agent";

    /**
     * The flow-control window of each HTTP/2 stream: how much of a response the backend may send ahead of
     * the client. Like the HTTP/1.1 buffer, it bounds what one request holds in the proxy's memory.
     */
    static final int H2_STREAM_WINDOW = 64 * 1024;

    /**
     * A backend as the library addresses it, made once per backend: building these checks the host name's
     * syntax, each time.
     */
    record Target(HttpHost host, URIAuthority authority) {

        static Target of(Backend backend) {
            HttpHost host = new HttpHost(backend.scheme(), backend.host(), backend.port());
            return new Target(host, new URIAuthority(host));
        }

        /** A request for {@code path} (with its query) at this target. */
        BasicHttpRequest request(String method, String path) {
            BasicHttpRequest request = new BasicHttpRequest(method, (HttpHost) null, path);
            request.setScheme(host.getSchemeName());
            request.setAuthority(authority);
            return request;
        }
    }

    private final RecentCache<Backend, Target> targets = new RecentCache<>(Target::of);

    /** Over HTTP/1.1; null over h2c. */
    private final Http1Upstream http11;
    /** Over h2c; null over HTTP/1.1. */
    private final CloseableHttpAsyncClient h2c;
    /** The HTTP/1.1 pool's idle timeouts per backend; null over h2c. */
    private final PooledConnections connections;
    /**
     * Timers of HTTP/2 streams, and the HTTP/1.1 pool's sweep. An HTTP/1.1 connection carries one exchange, so
     * its socket timeout is that exchange's response timeout; an HTTP/2 connection's streams share one socket,
     * and each needs a timer of its own.
     */
    private final ScheduledExecutorService timers;

    private UpstreamClient(Http1Upstream http11, CloseableHttpAsyncClient h2c, PooledConnections connections) {
        this.http11 = http11;
        this.h2c = h2c;
        this.connections = connections;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "tierline-upstream-timers");
            thread.setDaemon(true);
            return thread;
        });
        // An exchange that ends cancels its timer, which must not then stay queued until it would fire.
        executor.setRemoveOnCancelPolicy(true);
        this.timers = executor;
        if (connections != null) {
            timers.scheduleWithFixedDelay(connections::sweep, 1, 1, TimeUnit.SECONDS);
        }
        if (h2c != null) {
            h2c.start();
        }
    }

    /**
     * The client for the app tier, with the idle timeouts of {@code config}'s backends. Each request carries its
     * route's timeouts.
     *
     * @param config the configuration at start: over h2c its shortest idle timeout is every connection's
     */
    public static UpstreamClient create(UpstreamSettings upstream, Config config) {
        UpstreamClient client;
        if (upstream.protocol() == UpstreamProtocol.H2C) {
            client = new UpstreamClient(null, h2c(upstream, config.shortestIdleTimeout()), null);
        } else {
            PooledConnections connections = new PooledConnections(ClusterConfig.DEFAULT_IDLE_TIMEOUT);
            client = new UpstreamClient(new Http1Upstream(upstream.maxConnectionsPerBackend(),
                    upstream.sourceAddress(), connections, ioReactorConfig(), trust(upstream)), null, connections);
        }
        client.useIdleTimeouts(config.idleTimeouts());
        return client;
    }

    /** The TLS context for https:// backends: the configured trust store's, or empty for the JDK's own. */
    private static Optional<SSLContext> trust(UpstreamSettings upstream) {
        if (upstream.trust().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(upstream.trust().get().sslContext());
        } catch (IOException | GeneralSecurityException e) {
            // Checked when the settings were read; gone or changed since.
            throw new IllegalStateException("Cannot use the trust store " + upstream.trust().get().file() + ": " + e, e);
        }
    }

    /**
     * How long a pooled HTTP/1.1 connection to each backend may stay unused before it is closed rather than
     * reused; a backend not named keeps the default. Over h2c each backend's one connection keeps the idle
     * timeout it started with: HttpClient's HTTP/2 pool has a single idle setting.
     */
    public void useIdleTimeouts(Map<String, Duration> timeouts) {
        if (connections != null) {
            connections.useIdleTimeouts(timeouts);
        }
    }

    /** The HTTP/1.1 pool's connections now; empty over h2c, whose connections are one per backend. */
    public Optional<PoolUse> poolUse() {
        return connections == null ? Optional.empty() : connections.use();
    }

    /** True when exchanges share a connection, each as a stream that can be reset alone. */
    boolean multiplexes() {
        return h2c != null;
    }

    Target target(Backend backend) {
        return targets.of(backend);
    }

    /**
     * Sends {@code head} with {@code entity} (null for none) to {@code target} with {@code config}'s timeouts,
     * and hands the response to {@code response}; {@code callback} hears how the exchange ended. Cancelling the
     * result ends the exchange wherever it is.
     */
    <T> Cancellable execute(HttpHost target, HttpRequest head, AsyncEntityProducer entity, RequestConfig config,
            AsyncResponseConsumer<T> response, FutureCallback<T> callback) {
        if (http11 != null) {
            return http11.execute(target, head, entity, config, response, callback);
        }
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(config);
        Future<T> exchange = h2c.execute(new BasicRequestProducer(head, entity), response, null, context, callback);
        return () -> exchange.cancel(true);
    }

    /**
     * Runs {@code task} after {@code delay}, when this protocol needs per-exchange timers; returns null when
     * the connection's own socket timeout serves instead.
     */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return multiplexes() ? later(task, delay) : null;
    }

    /** Runs {@code task} after {@code delay}, whatever the protocol: for timers of the client's side. */
    ScheduledFuture<?> later(Runnable task, Duration delay) {
        return timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * GETs {@code path} on {@code backend}, for a health probe: reports the response's status, or 0 when none
     * came within {@code timeout}. What counts as healthy is health's to say.
     */
    @SuppressWarnings("deprecation")
    public void probe(Backend backend, String path, Duration timeout, IntConsumer status) {
        Target target = target(backend);
        RequestConfig config = RequestConfig.custom()
                .setConnectTimeout(Timeout.of(timeout))
                .setResponseTimeout(Timeout.of(timeout))
                .setConnectionRequestTimeout(Timeout.of(timeout))
                .setRedirectsEnabled(false)
                .build();
        execute(target.host(), target.request("GET", backend.basePath() + path), null, config,
                new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()),
                new FutureCallback<Message<HttpResponse, Void>>() {
                    @Override
                    public void completed(Message<HttpResponse, Void> response) {
                        status.accept(response.getHead().getCode());
                    }

                    @Override
                    public void failed(Exception cause) {
                        status.accept(0);
                    }

                    @Override
                    public void cancelled() {
                        status.accept(0);
                    }
                });
    }

    @Override
    public void close() {
        if (http11 != null) {
            http11.close();
        } else {
            h2c.close(CloseMode.GRACEFUL);
        }
        timers.shutdownNow();
        try {
            // Gone before the application is, or the container reports its thread as leaked.
            timers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One HTTP/2 connection per backend, opened at the first request (the others wait for it rather than
     * each opening their own), every exchange a stream of it.
     */
    private static CloseableHttpAsyncClient h2c(UpstreamSettings settings, Duration idleTimeout) {
        RouteSettings route = RouteSettings.DEFAULT;
        return HttpAsyncClients.customHttp2()
                .setIOReactorConfig(ioReactorConfig())
                .setH2Config(H2Config.custom()
                        // The app tier never pushes anything a client asked for.
                        .setPushEnabled(false)
                        .setInitialWindowSize(H2_STREAM_WINDOW)
                        .build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(route.connectTimeout()))
                        // Streams time out on their own timers: the shared socket is quiet whenever every
                        // stream waits on a slow answer, and must not be closed under them.
                        .setSocketTimeout(Timeout.DISABLED)
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                        .build())
                .setRoutePlanner(new SourceAddressRoutePlanner(settings.sourceAddress()))
                // 3xx responses belong to the client: following them here would hide them and re-send bodies.
                .disableRedirectHandling()
                // A cookie store shared by every client would mix their sessions.
                .disableCookieManagement()
                // Only the balancer may decide to try again; a silent retry could run a POST twice.
                .disableAutomaticRetries()
                // Credentials are the client's business, never cached or answered by the proxy.
                .disableAuthCaching()
                // No Priority header of the library's own: the request goes out with the client's headers.
                .disableRequestPriority()
                .replaceExecInterceptor(ChainElement.PROTOCOL.name(), PASS_CHALLENGES_THROUGH)
                // Closes the connection before the backend's keep-alive timeout does.
                .evictIdleConnections(TimeValue.of(idleTimeout))
                .setUserAgent(NO_USER_AGENT)
                .addRequestInterceptorLast(removePlaceholderUserAgent())
                .setDefaultRequestConfig(requestConfig(route, false))
                .build();
    }

    /**
     * In place of the library's protocol step, which answers authentication challenges and fills in a request's
     * target for proxies the app tier does not have. A challenge is the client's to answer, and every request
     * here already names its target. That step also parsed and decoded each request's URI, to scope
     * credentials the proxy never holds: a fifth of the allocations per request, by bench/profile.
     */
    private static final AsyncExecChainHandler PASS_CHALLENGES_THROUGH = (request, entity, scope, chain, callback) ->
            chain.proceed(request, entity, scope, callback);

    private static IOReactorConfig ioReactorConfig() {
        return IOReactorConfig.custom()
                .setIoThreadCount(Runtime.getRuntime().availableProcessors())
                // Small messages go out at once rather than waiting for Nagle's algorithm.
                .setTcpNoDelay(true)
                .build();
    }

    /**
     * The per-request settings of a route. The connect timeout is set here, per request, because routes
     * differ and the pool's setting is one per backend; the library marks this way deprecated in favour of
     * the pool's, but still lets it take precedence.
     */
    @SuppressWarnings("deprecation")
    static RequestConfig requestConfig(RouteSettings route, boolean expectContinue) {
        return RequestConfig.custom()
                .setConnectTimeout(Timeout.of(route.connectTimeout()))
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
