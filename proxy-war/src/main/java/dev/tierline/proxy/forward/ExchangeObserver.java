package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.Backend;
import jakarta.servlet.http.HttpServletRequest;

/** What the forwarder asks of the rest of the proxy: how to answer a failure, and who to tell of an outcome. */
public interface ExchangeObserver {

    /** The response for a failure that happened before anything reached the client. */
    ErrorResponse errorResponse(HttpServletRequest request, ForwardOutcome outcome);

    /** The status nginx logs for a client that went away before its answer: it got none. */
    int CLIENT_CLOSED = 499;

    /**
     * Called exactly once per exchange, when it is over, from whichever thread ended it.
     *
     * @param status the status the client got, the backend's or the proxy's ({@link #CLIENT_CLOSED} when it left
     *     first)
     * @param nanos how long the exchange took, from its first upstream request to its end, every attempt included
     */
    void ended(HttpServletRequest request, Backend backend, ForwardOutcome outcome, int status, long nanos);
}
