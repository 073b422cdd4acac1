package dev.tierline.proxy.forward;

import java.util.Set;

/**
 * When a failed attempt's request may be sent to another backend without risking running it twice
 * (RFC 9110 section 9.2.2).
 */
final class Replay {

    private Replay() {
    }

    /**
     * @param method the request's method
     * @param retryMethods the methods the route sends again once they may have reached a backend
     * @param idempotencyKey whether the request carries an Idempotency-Key the route honours
     * @param bodyStarted whether any of the request's body has been read from the client (and so may have
     *     reached the backend; bodies are streamed, never kept, so such a body cannot be sent again)
     */
    static boolean safe(ForwardOutcome failure, String method, Set<String> retryMethods, boolean idempotencyKey,
            boolean bodyStarted) {
        if (bodyStarted) {
            return false;
        }
        return switch (failure) {
            // Nothing was sent: the backend never saw the request, whatever its method.
            case CONNECT_REFUSED, CONNECT_TIMEOUT, POOL_EXHAUSTED, NOT_SENT -> true;
            // Sent, and the backend failed before answering: it may have run the request.
            case BACKEND_RESET, MALFORMED_RESPONSE -> retryMethods.contains(method) || idempotencyKey;
            // Sent, and the backend is still at it: another try would double the load where it hurts most.
            case RESPONSE_TIMEOUT -> false;
            case COMPLETED, FAILED_AFTER_COMMIT, BODY_TOO_LARGE, CLIENT_ABORTED -> false;
        };
    }
}
