package dev.tierline.proxy.web;

import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.forward.ErrorResponse;
import dev.tierline.proxy.forward.ExchangeObserver;
import dev.tierline.proxy.forward.ForwardOutcome;
import dev.tierline.proxy.metrics.Traffic;
import jakarta.servlet.http.HttpServletRequest;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What the web tier does with each exchange's outcome: the problem to answer, and the line to log. */
final class ExchangeOutcomes implements ExchangeObserver {

    private static final Logger LOG = Logger.getLogger(ExchangeOutcomes.class.getName());

    private final Traffic traffic;

    ExchangeOutcomes(Traffic traffic) {
        this.traffic = traffic;
    }

    @Override
    public ErrorResponse errorResponse(HttpServletRequest request, ForwardOutcome outcome) {
        return ProblemResponse.of(request, Failure.of(outcome));
    }

    @Override
    public void ended(HttpServletRequest request, Backend backend, ForwardOutcome outcome, int status) {
        traffic.record((String) request.getAttribute(ProxyServlet.ROUTE_ATTRIBUTE), backend.id(), status);
        if (outcome == ForwardOutcome.COMPLETED) {
            return;
        }
        // The client's doing, not a backend's: the access log has the status.
        Level level = outcome.clientsDoing() ? Level.FINE : Level.WARNING;
        if (LOG.isLoggable(level)) {
            String answered = outcome.needsErrorResponse() ? outcome.status() + " " : "";
            LOG.log(level, request.getMethod() + " " + request.getRequestURI() + " via " + backend + ": " + answered
                    + outcome + " [" + request.getAttribute(RequestIds.ATTRIBUTE) + "]");
        }
    }
}
