package dev.tierline.proxy.forward;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CancellationException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.RequestNotExecutedException;

/** How one forwarded exchange ended. The web package maps each failure to one status. */
public enum ForwardOutcome {
    /** The backend's response was relayed in full. */
    COMPLETED,
    /** The backend refused the connection: nothing was sent. */
    CONNECT_REFUSED,
    /** The backend did not accept the connection in time: nothing was sent. */
    CONNECT_TIMEOUT,
    /** No free pooled connection to the backend in time: nothing was sent. */
    POOL_EXHAUSTED,
    /** The connection closed with the request still queued on it (HTTP/2): nothing was sent. */
    NOT_SENT,
    /** The backend stayed silent longer than the response timeout before its response head. */
    RESPONSE_TIMEOUT,
    /** The backend closed or reset the connection before a response head. */
    BACKEND_RESET,
    /** The backend's response could not be parsed as HTTP. */
    MALFORMED_RESPONSE,
    /** The backend failed after the client's response had begun; the client's response was cut off. */
    FAILED_AFTER_COMMIT,
    /**
     * The client's body, sent without a Content-Length, grew past the route's limit; the upstream request was
     * cut off.
     */
    BODY_TOO_LARGE,
    /** The client went away; the upstream exchange was cancelled. */
    CLIENT_ABORTED;

    /** True for the outcomes the client gets an error status for. */
    public boolean needsErrorResponse() {
        return this != COMPLETED && this != FAILED_AFTER_COMMIT && this != CLIENT_ABORTED;
    }

    /** The outcome a failure of the upstream exchange stands for, before the response head arrived. */
    static ForwardOutcome ofUpstreamFailure(Throwable failure) {
        if (failure instanceof RequestNotExecutedException) {
            return NOT_SENT;
        }
        if (failure instanceof ConnectTimeoutException) {
            return CONNECT_TIMEOUT;
        }
        if (failure instanceof ConnectionRequestTimeoutException) {
            return POOL_EXHAUSTED;
        }
        if (failure instanceof ConnectException) {
            return CONNECT_REFUSED;
        }
        if (failure instanceof SocketTimeoutException) {
            return RESPONSE_TIMEOUT;
        }
        if (failure instanceof NoHttpResponseException) {
            return BACKEND_RESET;
        }
        if (failure instanceof HttpException || failure.getCause() instanceof HttpException) {
            return MALFORMED_RESPONSE;
        }
        if (failure instanceof CancellationException) {
            return CLIENT_ABORTED;
        }
        return BACKEND_RESET;
    }
}
