package dev.tierline.proxy.web;

import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.forward.ErrorResponse;
import dev.tierline.proxy.forward.ExchangeObserver;
import dev.tierline.proxy.forward.ForwardOutcome;
import dev.tierline.proxy.metrics.Traffic;
import jakarta.servlet.http.HttpServletRequest;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the web tier does with each exchange's outcome: the problem to answer, the counts, what the access log
 * shows of it, and the line to log.
 */
final class ExchangeOutcomes implements ExchangeObserver {

    private static final Logger LOG = Logger.getLogger(ExchangeOutcomes.class.getName());
    /** The request attribute naming the backend that answered last, for the access log. */
    static final String BACKEND = "dev.tierline.backend";
    /**
     * The request attribute holding the time in seconds, to the millisecond, from the first upstream request to
     * the end of the exchange (every attempt included), for the access log.
     */
    static final String UPSTREAM_TIME = "dev.tierline.upstreamTime";

    private final Traffic traffic;

    ExchangeOutcomes(Traffic traffic) {
        this.traffic = traffic;
    }

    @Override
    public ErrorResponse errorResponse(HttpServletRequest request, ForwardOutcome outcome) {
        return ProblemResponse.of(request, Failure.of(outcome));
    }

    @Override
    public void ended(HttpServletRequest request, Backend backend, ForwardOutcome outcome, int status, long nanos) {
        traffic.record((String) request.getAttribute(ProxyServlet.ROUTE_ATTRIBUTE), backend.id(), status);
        request.setAttribute(BACKEND, backend.id());
        request.setAttribute(UPSTREAM_TIME, seconds(nanos / 1_000_000));
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

    /** Milliseconds as seconds with three decimals, "0.012", without a formatter: it runs for every request. */
    static String seconds(long millis) {
        long fraction = millis % 1000;
        return (millis / 1000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
