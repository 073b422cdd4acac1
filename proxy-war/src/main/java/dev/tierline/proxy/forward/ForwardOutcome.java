package dev.tierline.proxy.forward;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CancellationException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.RequestNotExecutedException;

/**
 * How one forwarded exchange ended, and what each way means, said once here for everyone who acts on it: the
 * status the client gets (the web tier's status map takes it from here), whether the request may go to
 * another backend ({@link Replay}), and whether it counts for or against the backend's health.
 */
public enum ForwardOutcome {
    /** The backend's response was relayed in full. */
    COMPLETED(0, Resend.NEVER, Health.SUCCESS, false),
    /** The backend refused the connection: nothing was sent. */
    CONNECT_REFUSED(502, Resend.ALWAYS, Health.FAILURE, false),
    /** The backend did not accept the connection in time: nothing was sent. */
    CONNECT_TIMEOUT(504, Resend.ALWAYS, Health.FAILURE, false),
    /** No free pooled connection to the backend in time: nothing was sent, and the proxy's pool was full. */
    POOL_EXHAUSTED(503, Resend.ALWAYS, Health.NONE, false),
    /**
     * The connection closed with the request still queued on it (HTTP/2): nothing was sent, and whatever closed
     * the connection was already counted.
     */
    NOT_SENT(502, Resend.ALWAYS, Health.NONE, false),
    /**
     * The backend stayed silent longer than the response timeout before its response head. Not sent again:
     * the backend is still at it, and another try would double the load where it hurts most.
     */
    RESPONSE_TIMEOUT(504, Resend.NEVER, Health.FAILURE, false),
    /** The backend closed or reset the connection before a response head. */
    BACKEND_RESET(502, Resend.IF_IDEMPOTENT, Health.FAILURE, false),
    /** The backend's response could not be parsed as HTTP. */
    MALFORMED_RESPONSE(502, Resend.IF_IDEMPOTENT, Health.FAILURE, false),
    /**
     * The backend failed after the client's response had begun; the client's response was cut off. Not held
     * against the backend: an idle stream that times out is no sign of a sick backend.
     */
    FAILED_AFTER_COMMIT(0, Resend.NEVER, Health.NONE, false),
    /**
     * The client's body, sent without a Content-Length, grew past the route's limit; the upstream request was
     * cut off.
     */
    BODY_TOO_LARGE(413, Resend.NEVER, Health.NONE, true),
    /**
     * The client sent its body slower than the web tier allows ({@code clients.bodyTimeout} and
     * {@code minBodyRate}): the upstream request was cut off, and the client gets 408 on a connection then closed.
     */
    BODY_TOO_SLOW(408, Resend.NEVER, Health.NONE, true),
    /**
     * The client's body broke HTTP's framing (a malformed chunk, say): the container refused to read on, the
     * upstream request was cut off, and the client gets 400 on a connection then closed.
     */
    MALFORMED_BODY(400, Resend.NEVER, Health.NONE, true),
    /** A WebSocket tunnel to a backend named https://, which tunnels do not reach: nothing was sent. */
    TUNNEL_NEEDS_HTTP(501, Resend.NEVER, Health.NONE, false),
    /** The client went away; the upstream exchange was cancelled. */
    CLIENT_ABORTED(0, Resend.NEVER, Health.NONE, true);

    /** When a failed attempt's request may be sent to another backend (RFC 9110 section 9.2.2). */
    public enum Resend {
        /** The request never reached the backend: whatever its method, as long as its body can be sent again. */
        ALWAYS,
        /** The backend may have run the request: only for methods the route retries, or an Idempotency-Key. */
        IF_IDEMPOTENT,
        NEVER
    }

    /** What an attempt's outcome says of its backend's health. */
    public enum Health { SUCCESS, FAILURE, NONE }

    /** The client's status; 0 for the outcomes that send the client none of the proxy's own. */
    private final int status;
    private final Resend resend;
    private final Health health;
    private final boolean clientsDoing;

    ForwardOutcome(int status, Resend resend, Health health, boolean clientsDoing) {
        this.status = status;
        this.resend = resend;
        this.health = health;
        this.clientsDoing = clientsDoing;
    }

    /** True for the outcomes the client gets an error status for. */
    public boolean needsErrorResponse() {
        return status != 0;
    }

    /**
     * The status the client gets.
     *
     * @throws IllegalStateException for an outcome that gets no error response: a relayed or cut-off response,
     *     or a client that left
     */
    public int status() {
        if (!needsErrorResponse()) {
            throw new IllegalStateException(this + " does not call for an error response");
        }
        return status;
    }

    public Resend resend() {
        return resend;
    }

    public Health health() {
        return health;
    }

    /** True when the client caused it (it left, or sent too much): logged quietly, and never the backend's fault. */
    public boolean clientsDoing() {
        return clientsDoing;
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
