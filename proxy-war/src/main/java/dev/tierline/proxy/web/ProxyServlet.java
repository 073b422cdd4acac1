package dev.tierline.proxy.web;

import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.forward.ErrorResponse;
import dev.tierline.proxy.forward.ExchangeObserver;
import dev.tierline.proxy.forward.ForwardOutcome;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The web tier's one servlet: route, choose a backend, hand the request to the forwarder, and answer
 * failures. It returns the container thread at once; the forwarder finishes the request.
 */
final class ProxyServlet extends HttpServlet implements ExchangeObserver {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ProxyServlet.class.getName());

    private final transient Router router;
    private transient Forwarder forwarder;

    ProxyServlet(Router router) {
        this.router = router;
    }

    void forwardWith(Forwarder forwarder) {
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
        Optional<Route> route = router.match(path);
        if (route.isEmpty()) {
            ProblemResponse.write(request, response, Failure.NO_ROUTE);
            return;
        }
        Optional<Backend> backend = route.get().cluster().choose();
        if (backend.isEmpty()) {
            ProblemResponse.write(request, response, Failure.NO_BACKEND);
            return;
        }
        AsyncContext async = request.startAsync();
        forwarder.forward(async, backend.get(), route.get().settings(), path, requestId);
    }

    @Override
    public ErrorResponse errorResponse(HttpServletRequest request, ForwardOutcome outcome) {
        return ProblemResponse.of(request, Failure.of(outcome));
    }

    @Override
    public void ended(HttpServletRequest request, Backend backend, ForwardOutcome outcome) {
        if (outcome == ForwardOutcome.COMPLETED) {
            return;
        }
        Level level = outcome == ForwardOutcome.CLIENT_ABORTED ? Level.FINE : Level.WARNING;
        if (LOG.isLoggable(level)) {
            String status = outcome.needsErrorResponse() ? Failure.of(outcome).status() + " " : "";
            LOG.log(level, request.getMethod() + " " + request.getRequestURI() + " via " + backend + ": " + status
                    + outcome + " [" + request.getAttribute(RequestIds.ATTRIBUTE) + "]");
        }
    }
}
