package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.Backend;
import jakarta.servlet.http.HttpServletRequest;

/** What the forwarder asks of the rest of the proxy: how to answer a failure, and who to tell of an outcome. */
public interface ExchangeObserver {

    /** The response for a failure that happened before anything reached the client. */
    ErrorResponse errorResponse(HttpServletRequest request, ForwardOutcome outcome);

    /** Called exactly once per exchange, when it is over, from whichever thread ended it. */
    void ended(HttpServletRequest request, Backend backend, ForwardOutcome outcome);
}
