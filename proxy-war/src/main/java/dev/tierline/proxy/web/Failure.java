package dev.tierline.proxy.web;

import dev.tierline.proxy.forward.ForwardOutcome;

/**
 * Every way the proxy can fail a request, each with the one status it always answers: the web tier's status
 * map. A forwarding failure's status is its outcome's ({@link ForwardOutcome#status()}), the one place that
 * says what each outcome means; the others are the proxy's own refusals.
 */
public enum Failure {
    NO_ROUTE(404, "No route matches this path"),
    FORBIDDEN(403, "This route does not answer this client's address"),
    DOT_SEGMENT_WITH_PARAMETER(400, "A path segment of '.' or '..' with a path parameter (such as '..;') is refused: "
            + "a backend that drops parameters would read it as a step out of the route"),
    MALFORMED_BODY(ForwardOutcome.MALFORMED_BODY, "The request body is not valid HTTP framing"),
    BODY_TOO_LARGE(ForwardOutcome.BODY_TOO_LARGE, "The request body is larger than this route takes"),
    BODY_TOO_SLOW(ForwardOutcome.BODY_TOO_SLOW, "The request body arrived more slowly than this web tier waits for"),
    TRACE_NOT_ALLOWED(405, "TRACE is not forwarded: it would echo credentials back"),
    CONNECT_NOT_IMPLEMENTED(501, "CONNECT is not supported: this is a reverse proxy"),
    NO_BACKEND(503, "No backend is available for this route"),
    TOO_MANY_REQUESTS(429, "This client has as many requests in flight as the web tier allows one client"),
    POOL_EXHAUSTED(ForwardOutcome.POOL_EXHAUSTED, "Every connection to the backend is busy"),
    CONNECT_REFUSED(ForwardOutcome.CONNECT_REFUSED, "The backend refused the connection"),
    BACKEND_RESET(ForwardOutcome.BACKEND_RESET, "The backend closed the connection without answering"),
    NOT_SENT(ForwardOutcome.NOT_SENT, "The connection to the backend closed before the request could be sent"),
    MALFORMED_RESPONSE(ForwardOutcome.MALFORMED_RESPONSE, "The backend's response was not valid HTTP"),
    CONNECT_TIMEOUT(ForwardOutcome.CONNECT_TIMEOUT, "The backend did not accept the connection in time"),
    RESPONSE_TIMEOUT(ForwardOutcome.RESPONSE_TIMEOUT, "The backend did not answer in time"),
    WEBSOCKET_NOT_ALLOWED(403, "This route does not tunnel WebSocket connections"),
    ORIGIN_NOT_ALLOWED(403, "This route does not tunnel WebSocket connections opened by pages of this origin"),
    TUNNEL_LIMIT(503, "This route has as many WebSocket connections open as it allows"),
    TUNNEL_NEEDS_HTTP(ForwardOutcome.TUNNEL_NEEDS_HTTP,
            "WebSocket connections are tunnelled to backends over plain HTTP only, and this backend is https://");

    private final int status;
    private final ForwardOutcome outcome;
    private final String detail;

    Failure(int status, String detail) {
        this.status = status;
        this.outcome = null;
        this.detail = detail;
    }

    Failure(ForwardOutcome outcome, String detail) {
        this.status = outcome.status();
        this.outcome = outcome;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    /** The status's reason phrase (RFC 9110 section 15), the problem's title. */
    public String title() {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 429 -> "Too Many Requests";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> throw new IllegalStateException("no reason phrase for " + status);
        };
    }

    public String detail() {
        return detail;
    }

    /** The failure a forwarding outcome stands for; only outcomes that need an error response have one. */
    public static Failure of(ForwardOutcome outcome) {
        for (Failure failure : values()) {
            if (failure.outcome == outcome) {
                return failure;
            }
        }
        throw new IllegalArgumentException(outcome + " does not call for an error response");
    }
}
