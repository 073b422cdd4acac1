package dev.tierline.proxy.forward;

import java.util.Set;

/**
 * When a failed attempt's request may be sent to another backend without risking running it twice
 * (RFC 9110 section 9.2.2): what the outcome allows ({@link ForwardOutcome#resend()}), for this request.
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
        return switch (failure.resend()) {
            case ALWAYS -> true;
            case IF_IDEMPOTENT -> retryMethods.contains(method) || idempotencyKey;
            case NEVER -> false;
        };
    }
}
