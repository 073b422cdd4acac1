package dev.tierline.tomcat;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.coyote.Adapter;
import org.apache.coyote.Request;
import org.apache.coyote.Response;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Tomcat's HTTP/1.1 processor with a deadline for a whole request head: from its first byte to the blank
 * line after its headers (HAProxy's {@code timeout http-request}). Tomcat's own connection timeout runs
 * between two reads, so a client that sends a byte of its head every few seconds (slowloris) holds its
 * connection for as long as it likes; here it is closed once the deadline has passed, while it is still
 * silent (the socket's read timeout is shortened to what is left of the deadline) or at its next byte.
 *
 * <p>The processor stays with its connection while a head is incomplete, and is called again as each part
 * arrives. Once the head is whole, the request is handed to the container with the connection's usual read
 * timeout restored, so reading a body, or the next request on the connection, is not held to what was left.
 */
final class RequestHeadDeadline extends Http11Processor {

    private final AbstractHttp11Protocol<?> protocol;
    private final long deadlineNanos;
    /**
     * When the request head this processor's connection is in the middle of began ({@link System#nanoTime()}, as
     * Tomcat marked it), or {@link #NO_HEAD}. Compared with the request's own mark before use: a processor
     * released in the middle of a head (its client dropped at the deadline) is recycled for another connection,
     * and its request's mark with it.
     */
    private long headBegan = NO_HEAD;

    private static final long NO_HEAD = Long.MIN_VALUE;

    private RequestHeadDeadline(AbstractHttp11Protocol<?> protocol, RestoringAdapter adapter, long deadlineMillis) {
        super(protocol, adapter);
        this.protocol = protocol;
        this.deadlineNanos = TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
        adapter.processor = this;
    }

    static RequestHeadDeadline of(AbstractHttp11Protocol<?> protocol, Adapter adapter, long deadlineMillis) {
        return new RequestHeadDeadline(protocol, new RestoringAdapter(adapter), deadlineMillis);
    }

    @Override
    public SocketState service(SocketWrapperBase<?> socket) throws IOException {
        if (headBegan != NO_HEAD && headBegan == request.getStartTimeNanos()
                && System.nanoTime() - headBegan >= deadlineNanos) {
            // More of a head that is already too late: the connection is closed without an answer, as nginx
            // does at its client_header_timeout.
            headBegan = NO_HEAD;
            return SocketState.CLOSED;
        }
        SocketState state = super.service(socket);
        // Held on to, outside asynchronous processing: a request line or head read in part.
        boolean inHead = state == SocketState.LONG && !isAsync();
        headBegan = inHead ? request.getStartTimeNanos() : NO_HEAD;
        if (inHead) {
            long left = deadlineNanos - (System.nanoTime() - headBegan);
            long leftMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
            int timeout = protocol.getConnectionTimeout();
            socket.setReadTimeout(timeout > 0 ? Math.min(timeout, leftMillis) : leftMillis);
        }
        return state;
    }

    /** The head is whole: the connection's read timeout is what Tomcat would have set. */
    private void headComplete() {
        headBegan = NO_HEAD;
        SocketWrapperBase<?> socket = getSocketWrapper();
        if (socket != null) {
            socket.setReadTimeout(protocol.getDisableUploadTimeout() ? protocol.getConnectionTimeout()
                    : protocol.getConnectionUploadTimeout());
        }
    }

    /** The container's adapter, told first when a request's head is whole and the request is handed on. */
    private static final class RestoringAdapter implements Adapter {

        private final Adapter container;
        private RequestHeadDeadline processor;

        RestoringAdapter(Adapter container) {
            this.container = container;
        }

        @Override
        public void service(Request req, Response res) throws Exception {
            processor.headComplete();
            container.service(req, res);
        }

        @Override
        public boolean prepare(Request req, Response res) throws Exception {
            return container.prepare(req, res);
        }

        @Override
        public boolean asyncDispatch(Request req, Response res, SocketEvent status) throws Exception {
            return container.asyncDispatch(req, res, status);
        }

        @Override
        public void log(Request req, Response res, long time) {
            container.log(req, res, time);
        }

        @Override
        public void checkRecycled(Request req, Response res) {
            container.checkRecycled(req, res);
        }

        @Override
        public String getDomain() {
            return container.getDomain();
        }
    }
}
