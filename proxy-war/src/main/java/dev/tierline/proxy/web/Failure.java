package dev.tierline.proxy.web;

import dev.tierline.proxy.forward.ForwardOutcome;

/**
 * Every way the proxy can fail a request, each with the one status it always answers. This is the only
 * place that turns a failure into a status code.
 */
public enum Failure {
    NO_ROUTE(404, "Not Found", "No route matches this path"),
    BODY_TOO_LARGE(413, "Content Too Large", "The request body is larger than this route takes"),
    TRACE_NOT_ALLOWED(405, "Method Not Allowed", "TRACE is not forwarded: it would echo credentials back"),
    CONNECT_NOT_IMPLEMENTED(501, "Not Implemented", "CONNECT is not supported: this is a reverse proxy"),
    NO_BACKEND(503, "Service Unavailable", "No backend is available for this route"),
    POOL_EXHAUSTED(503, "Service Unavailable", "Every connection to the backend is busy"),
    CONNECT_REFUSED(502, "Bad Gateway", "The backend refused the connection"),
    BACKEND_RESET(502, "Bad Gateway", "The backend closed the connection without answering"),
    NOT_SENT(502, "Bad Gateway", "The connection to the backend closed before the request could be sent"),
    MALFORMED_RESPONSE(502, "Bad Gateway", "The backend's response was not valid HTTP"),
    CONNECT_TIMEOUT(504, "Gateway Timeout", "The backend did not accept the connection in time"),
    RESPONSE_TIMEOUT(504, "Gateway Timeout", "The backend did not answer in time");

    private final int status;
    private final String title;
    private final String detail;

    Failure(int status, String title, String detail) {
        this.status = status;
        this.title = title;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    /** The failure a forwarding outcome stands for; only outcomes that need an error response have one. */
    public static Failure of(ForwardOutcome outcome) {
        return switch (outcome) {
            case CONNECT_REFUSED -> CONNECT_REFUSED;
            case CONNECT_TIMEOUT -> CONNECT_TIMEOUT;
            case POOL_EXHAUSTED -> POOL_EXHAUSTED;
            case RESPONSE_TIMEOUT -> RESPONSE_TIMEOUT;
            case BACKEND_RESET -> BACKEND_RESET;
            case NOT_SENT -> NOT_SENT;
            case MALFORMED_RESPONSE -> MALFORMED_RESPONSE;
            case BODY_TOO_LARGE -> BODY_TOO_LARGE;
            case COMPLETED, FAILED_AFTER_COMMIT, CLIENT_ABORTED ->
                    throw new IllegalArgumentException(outcome + " does not call for an error response");
        };
    }
}
