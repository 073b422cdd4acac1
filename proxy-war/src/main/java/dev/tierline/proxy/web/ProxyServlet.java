package dev.tierline.proxy.web;

import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.forward.ForwardOutcome;
import dev.tierline.proxy.forward.Forwarder;
import dev.tierline.proxy.route.Route;
import dev.tierline.proxy.route.Router;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.logging.Logger;

/** The web tier's one servlet: route, choose a backend, forward, and answer failures. */
final class ProxyServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ProxyServlet.class.getName());

    private final transient Router router;
    private final transient Forwarder forwarder;

    ProxyServlet(Router router, Forwarder forwarder) {
        this.router = router;
        this.forwarder = forwarder;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
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
        ForwardOutcome outcome = forwarder.forward(request, response, backend.get(), path);
        if (outcome.needsErrorResponse()) {
            Failure failure = Failure.of(outcome);
            LOG.warning(() -> request.getMethod() + " " + request.getRequestURI() + " via " + backend.get()
                    + ": " + failure.status() + " " + failure.detail());
            ProblemResponse.write(request, response, failure);
        } else if (outcome == ForwardOutcome.FAILED_AFTER_COMMIT) {
            // The status line is already out. Throwing makes the container close the connection without
            // ending the body, so the client sees a cut-off response instead of a complete-looking one.
            throw new ResponseAbortedException(request.getRequestURI());
        }
    }
}
