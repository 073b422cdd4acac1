package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.Backend;
import java.util.Optional;

/**
 * One attempt's backend, chosen by whoever balances. The forwarder tells it how the attempt ended, and, when
 * an attempt failed in a way that makes sending the request again safe, asks it for another backend.
 */
public interface BackendChoice {

    Backend backend();

    /**
     * Called exactly once per attempt, when it is over, the response's body included (so a long download or
     * event stream counts as in flight until it ends): {@link ForwardOutcome#COMPLETED}, how it failed, or why
     * it was given up ({@link ForwardOutcome#FAILED_AFTER_COMMIT} when the backend had answered).
     */
    void ended(ForwardOutcome outcome);

    /**
     * Another backend for the same request, after this attempt failed with {@code failure}, or empty when
     * there is none or no retry is allowed now. The forwarder asks only when sending again is safe: the
     * request never reached this backend, or it is idempotent and its body can be sent again.
     */
    Optional<BackendChoice> retry(ForwardOutcome failure);

    /**
     * The attempt's answer switched the client's connection to another protocol (a WebSocket's 101): it counts as
     * completed now, with the handshake's time (a tunnel's lifetime is no response time), and stays in flight on
     * its backend until the returned release runs, once, when the tunnel ends. Instead of {@link #ended}.
     */
    Runnable switchedProtocols();

    /** A Set-Cookie to add to the backend's answer, binding the client to this backend (session affinity). */
    default Optional<String> affinityCookie() {
        return Optional.empty();
    }
}
