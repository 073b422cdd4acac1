package dev.tierline.proxy.web;

import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.forward.ErrorResponse;
import dev.tierline.proxy.forward.ExchangeObserver;
import dev.tierline.proxy.forward.ForwardOutcome;
import jakarta.servlet.http.HttpServletRequest;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What the web tier does with each exchange's outcome: the problem to answer, and the line to log. */
final class ExchangeOutcomes implements ExchangeObserver {

    private static final Logger LOG = Logger.getLogger(ExchangeOutcomes.class.getName());

    @Override
    public ErrorResponse errorResponse(HttpServletRequest request, ForwardOutcome outcome) {
        return ProblemResponse.of(request, Failure.of(outcome));
    }

    @Override
    public void ended(HttpServletRequest request, Backend backend, ForwardOutcome outcome) {
        if (outcome == ForwardOutcome.COMPLETED) {
            return;
        }
        // The client's doing, not a backend's: the access log has the status.
        Level level = outcome.clientsDoing() ? Level.FINE : Level.WARNING;
        if (LOG.isLoggable(level)) {
            String status = outcome.needsErrorResponse() ? outcome.status() + " " : "";
            LOG.log(level, request.getMethod() + " " + request.getRequestURI() + " via " + backend + ": " + status
                    + outcome + " [" + request.getAttribute(RequestIds.ATTRIBUTE) + "]");
        }
    }
}
