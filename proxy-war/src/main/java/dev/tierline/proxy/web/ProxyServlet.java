package dev.tierline.proxy.web;

import dev.tierline.proxy.config.ClientLimits;
import dev.tierline.proxy.config.HttpsSettings;
import dev.tierline.proxy.config.WebSocketSettings;
import dev.tierline.proxy.forward.BackendChoice;
import dev.tierline.proxy.forward.ForwardOutcome;
import dev.tierline.proxy.forward.Forwarder;
import dev.tierline.proxy.forward.UpstreamTarget;
import dev.tierline.proxy.forward.WebSocketTunnels;
import dev.tierline.proxy.metrics.Traffic;
import dev.tierline.proxy.route.Route;
import dev.tierline.proxy.route.Router;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The web tier's one servlet: route, choose a backend, hand the request to the forwarder, and answer
 * failures. It returns the container thread at once; the forwarder finishes the request.
 */
final class ProxyServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The request attribute holding the id of the route a request took, for the metrics. */
    static final String ROUTE_ATTRIBUTE = "dev.tierline.route";

    private final transient HttpsSettings https;
    private final transient Supplier<Router> router;
    private final transient Forwarder forwarder;
    private final transient WebSocketTunnels tunnels;
    private final transient Traffic traffic;
    /** Requests in flight per client address; null when unlimited. */
    private final transient ClientConcurrency clients;

    /**
     * @param router the routes now; a reload swaps them, and a request keeps the ones it started with
     * @param traffic where the proxy's own answers are counted (the forwarder's observer counts the others)
     * @param limits what one client address may have in flight at once
     * @param https what clients are told about HTTPS: HSTS, and where routes that redirect to it send them
     * @param tunnels where WebSocket handshakes go
     */
    ProxyServlet(Supplier<Router> router, Forwarder forwarder, WebSocketTunnels tunnels, Traffic traffic,
            ClientLimits limits, HttpsSettings https) {
        this.tunnels = tunnels;
        this.router = router;
        this.https = https;
        this.forwarder = forwarder;
        this.traffic = traffic;
        this.clients = limits.limitsConcurrency() ? new ClientConcurrency(limits.maxConcurrentRequests()) : null;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            // Only the forwarder dispatches, to cut off a response whose backend failed after it began.
            // Throwing after the commit makes the container close the connection without ending the body.
            throw new ResponseAbortedException(request.getRequestURI(),
                    String.valueOf(request.getAttribute(Forwarder.ABORT_ATTRIBUTE)));
        }
        String requestId = RequestIds.of(request);
        if (request.isSecure() && https.strictTransportSecurity().isPresent()) {
            // On every answer over HTTPS, the proxy's own too; a backend's own value replaces it.
            response.setHeader("Strict-Transport-Security", https.strictTransportSecurity().get());
        }
        // RFC 9110 9.3.8: a TRACE would echo the client's cookies and credentials back to it.
        if (request.getMethod().equals("TRACE")) {
            response.setHeader("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
            refuse(request, response, Failure.TRACE_NOT_ALLOWED);
            return;
        }
        if (request.getMethod().equals("CONNECT")) {
            refuse(request, response, Failure.CONNECT_NOT_IMPLEMENTED);
            return;
        }
        // Mapped to /*: the path info is the whole path within this application, decoded and normalised.
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        if (UpstreamTarget.hasDotSegmentWithParameter(path)) {
            refuse(request, response, Failure.DOT_SEGMENT_WITH_PARAMETER);
            return;
        }
        Optional<Route> route = router.get().match(request.getServerName(), path);
        if (route.isEmpty()) {
            refuse(request, response, Failure.NO_ROUTE);
            return;
        }
        request.setAttribute(ROUTE_ATTRIBUTE, route.get().id());
        if (!route.get().settings().compression()) {
            request.setAttribute(NO_COMPRESSION_ATTRIBUTE, Boolean.TRUE);
        }
        if (!route.get().settings().admits(request.getRemoteAddr())) {
            refuse(request, response, Failure.FORBIDDEN);
            return;
        }
        if (route.get().settings().redirectToHttps() && !request.isSecure()) {
            // 308, not 301: a POST stays a POST, with its body, when the client sends it again.
            response.setStatus(HttpServletResponse.SC_PERMANENT_REDIRECT);
            response.setHeader("Location", https.redirect(request.getServerName(), request.getRequestURI(),
                    request.getQueryString()));
            response.setContentLength(0);
            traffic.record(route.get().id(), null, HttpServletResponse.SC_PERMANENT_REDIRECT);
            return;
        }
        if (WebSocketTunnels.isHandshake(request)) {
            tunnel(request, response, route.get(), path, requestId);
            return;
        }
        long limit = route.get().settings().maxBodyBytes();
        if (limit >= 0 && request.getContentLengthLong() > limit) {
            // Answered before any of it is read (and Tomcat closes the connection after a 413). A body without a
            // Content-Length is counted as it streams.
            refuse(request, response, Failure.BODY_TOO_LARGE);
            return;
        }
        String client = request.getRemoteAddr();
        if (clients != null && !clients.tryAcquire(client)) {
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            refuse(request, response, Failure.TOO_MANY_REQUESTS);
            return;
        }
        AsyncContext async;
        Optional<BackendChoice> backend;
        try {
            backend = route.get().cluster().choose(new ServletRequestKeys(request));
            if (backend.isEmpty()) {
                release(client);
                refuse(request, response, Failure.NO_BACKEND);
                return;
            }
            async = request.startAsync();
        } catch (RuntimeException e) {
            release(client);
            throw e;
        }
        if (clients != null) {
            async.addListener(new Release(clients, client));
        }
        forwarder.forward(async, backend.get(), route.get().settings(), path, requestId);
    }

    /**
     * Keeps the web tier's connector from compressing this response (tomcat-conf's WebTierHttp11NioProtocol reads
     * it): the route says no.
     */
    static final String NO_COMPRESSION_ATTRIBUTE = "dev.tierline.noCompression";

    /** How soon a client refused for too many requests in flight may try again: requests here are short. */
    static final String RETRY_AFTER_SECONDS = "1";

    /** Counts a client's request out of its in-flight requests when it ends, however it ends. */
    private record Release(ClientConcurrency clients, String client) implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            clients.release(client);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows.
        }

        @Override
        public void onError(AsyncEvent event) {
            // onComplete follows.
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // Not restarted.
        }
    }

    private void release(String client) {
        if (clients != null) {
            clients.release(client);
        }
    }

    /**
     * A WebSocket handshake, on a route that tunnels them for this page's origin: made with a backend, and the
     * client's connection then relayed to it. Tunnels are not counted as the client's requests in flight: they last,
     * and the route's maxTunnels limits them.
     */
    private void tunnel(HttpServletRequest request, HttpServletResponse response, Route route, String path,
            String requestId) throws IOException, ServletException {
        WebSocketSettings webSocket = route.settings().webSocket();
        if (!webSocket.enabled()) {
            refuse(request, response, Failure.WEBSOCKET_NOT_ALLOWED);
            return;
        }
        if (!webSocket.admitsOrigin(request.getHeader("Origin"))) {
            refuse(request, response, Failure.ORIGIN_NOT_ALLOWED);
            return;
        }
        // The route's limit, before any backend is chosen: no backend's attempt is counted for a refusal of the route.
        Optional<Runnable> place = tunnels.reserve(route.id(), webSocket.maxTunnels());
        if (place.isEmpty()) {
            refuse(request, response, Failure.TUNNEL_LIMIT);
            return;
        }
        Optional<BackendChoice> backend;
        try {
            backend = route.cluster().choose(new ServletRequestKeys(request));
        } catch (RuntimeException e) {
            place.get().run();
            throw e;
        }
        if (backend.isEmpty()) {
            place.get().run();
            refuse(request, response, Failure.NO_BACKEND);
            return;
        }
        WebSocketTunnels.Result result = tunnels.open(request, response, backend.get(), place.get(), route.settings(),
                path, requestId);
        if (result.outcome() == ForwardOutcome.COMPLETED) {
            traffic.record(route.id(), result.backend().id(), result.status());
        } else {
            refuse(request, response, Failure.of(result.outcome()));
        }
    }

    /** Answers the request itself, with no backend, and counts the answer. */
    private void refuse(HttpServletRequest request, HttpServletResponse response, Failure failure) throws IOException {
        ProblemResponse.write(request, response, failure);
        traffic.record((String) request.getAttribute(ROUTE_ATTRIBUTE), null, failure.status());
    }
}
