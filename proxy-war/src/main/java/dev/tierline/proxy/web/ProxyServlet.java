package dev.tierline.proxy.web;

import dev.tierline.proxy.forward.BackendChoice;
import dev.tierline.proxy.forward.Forwarder;
import dev.tierline.proxy.route.Route;
import dev.tierline.proxy.route.Router;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
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

    private final transient Supplier<Router> router;
    private final transient Forwarder forwarder;

    /** @param router the routes now; a reload swaps them, and a request keeps the ones it started with */
    ProxyServlet(Supplier<Router> router, Forwarder forwarder) {
        this.router = router;
        this.forwarder = forwarder;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            // Only the forwarder dispatches, to cut off a response whose backend failed after it began.
            // Throwing after the commit makes the container close the connection without ending the body.
            throw new ResponseAbortedException(request.getRequestURI(),
                    String.valueOf(request.getAttribute(Forwarder.ABORT_ATTRIBUTE)));
        }
        String requestId = RequestIds.of(request);
        // RFC 9110 9.3.8: a TRACE would echo the client's cookies and credentials back to it.
        if (request.getMethod().equals("TRACE")) {
            response.setHeader("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
            ProblemResponse.write(request, response, Failure.TRACE_NOT_ALLOWED);
            return;
        }
        if (request.getMethod().equals("CONNECT")) {
            ProblemResponse.write(request, response, Failure.CONNECT_NOT_IMPLEMENTED);
            return;
        }
        // Mapped to /*: the path info is the whole path within this application, decoded and normalised.
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        Optional<Route> route = router.get().match(request.getServerName(), path);
        if (route.isEmpty()) {
            ProblemResponse.write(request, response, Failure.NO_ROUTE);
            return;
        }
        long limit = route.get().settings().maxBodyBytes();
        if (limit >= 0 && request.getContentLengthLong() > limit) {
            // Answered before any of it is read (and Tomcat closes the connection after a 413). A body without a
            // Content-Length is counted as it streams.
            ProblemResponse.write(request, response, Failure.BODY_TOO_LARGE);
            return;
        }
        Optional<BackendChoice> backend = route.get().cluster().choose(new ServletRequestKeys(request));
        if (backend.isEmpty()) {
            ProblemResponse.write(request, response, Failure.NO_BACKEND);
            return;
        }
        AsyncContext async = request.startAsync();
        forwarder.forward(async, backend.get(), route.get().settings(), path, requestId);
    }
}
