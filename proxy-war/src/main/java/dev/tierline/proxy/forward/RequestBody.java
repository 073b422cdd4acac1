package dev.tierline.proxy.forward;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * The client's request body, streamed upstream as the backend connection can take it. The client is read
 * only when the upstream channel asks for data, so a slow backend slows the client down (TCP flow
 * control) instead of filling memory. Reads happen on the I/O reactor thread that owns the upstream
 * connection; the container only signals that more data has arrived.
 */
final class RequestBody implements AsyncEntityProducer, ReadListener {

    static final int CHUNK = 16 * 1024;

    private final ServletInputStream in;
    private final long contentLength;
    /** The most the client may send; counted as the body streams, since a chunked one says nothing ahead. */
    private final long limit;
    private final Consumer<Throwable> clientFailed;
    private final Runnable progressed;
    private final Runnable tooLarge;
    /** The client's trailer fields, as far as the container gives them, read once the body has ended. */
    private final Supplier<Map<String, String>> trailerFields;
    /** Read from the client so far; only written in {@link #produce}. */
    private volatile long received;
    /** Since when the body waits on the client ({@link System#nanoTime()}), while {@link #waiting}. */
    private long waitingSince;
    /** How long, in all, the body waited on the client before {@link #waitingSince}, in nanoseconds. */
    private long waited;
    /** Whether the upstream side asked for more of the body and the client had none yet. */
    private boolean waiting;
    private final byte[] buffer = new byte[CHUNK];
    private volatile DataStreamChannel channel;
    /** Read from the client but not yet taken by the channel; only touched in {@link #produce}. */
    private ByteBuffer pending;
    private volatile boolean finished;
    private volatile boolean abandoned;
    /** Set when the upstream request must end short of its body's end: the next {@link #produce} fails it. */
    private volatile boolean cutOff;
    /** Whether the upstream connection carries other exchanges too (HTTP/2), which failing this one would end. */
    private final boolean sharedConnection;
    /** Held while an upstream thread reads the container's input stream; see {@link #quiesce()}. */
    private final ReentrantLock inContainer = new ReentrantLock();
    /** Whether any of the body, or its end, has gone to a channel: from then on it cannot be sent again. */
    private volatile boolean started;
    /**
     * Whether the client may have data; cleared before asking the container, set again by its callbacks.
     * The channel asks for output only while it is set, so a waiting body costs no work.
     */
    private volatile boolean readable = true;

    /**
     * @param contentLength the body's length, or -1 when the client sent it chunked
     * @param limit the largest body the route takes, or a negative number for no limit
     * @param clientFailed called when reading from the client fails
     * @param progressed called each time a part of the body was read from the client
     * @param tooLarge called when the body grows past {@code limit}, instead of sending that part on; nothing
     *     more is read
     * @param sharedConnection whether the upstream connection carries other exchanges (see {@link #cutOff()})
     */
    RequestBody(ServletInputStream in, long contentLength, long limit, Consumer<Throwable> clientFailed,
            Runnable progressed, Runnable tooLarge, boolean sharedConnection, Supplier<Map<String, String>> trailerFields) {
        this.in = in;
        this.trailerFields = trailerFields;
        this.sharedConnection = sharedConnection;
        this.contentLength = contentLength;
        this.limit = limit < 0 ? Long.MAX_VALUE : limit;
        this.clientFailed = clientFailed;
        this.progressed = progressed;
        this.tooLarge = tooLarge;
        in.setReadListener(this);
    }

    /**
     * The containers' exceptions for a request body that breaks HTTP's framing (a malformed chunk size or
     * extension, chunk data without its CRLF), as opposed to a connection that failed: the servlet API has no
     * type of its own for it.
     */
    private static final Set<String> MALFORMED = Set.of("org.apache.coyote.BadRequestException",
            "org.eclipse.jetty.http.BadMessageException");

    /** True when reading the body failed because the client's framing of it was malformed. */
    static boolean isMalformed(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (MALFORMED.contains(cause.getClass().getName())) {
                return true;
            }
        }
        return false;
    }

    /** Bytes of the body read from the client so far. */
    long received() {
        return received;
    }

    /** True once the whole body has been read from the client. */
    boolean finished() {
        return finished;
    }

    /**
     * How long, in all until {@code now}, the upstream side has asked for more of the body while the client had
     * none to give: the client's own slowness, not the backend's (a backend slow to take the body stops the
     * asking, and TCP slows the client down).
     */
    synchronized long waitedOnClientNanos(long now) {
        return waiting ? waited + (now - waitingSince) : waited;
    }

    private synchronized void waitForClient() {
        if (!waiting) {
            waiting = true;
            waitingSince = System.nanoTime();
        }
    }

    private synchronized void clientHasData() {
        if (waiting) {
            waiting = false;
            waited += System.nanoTime() - waitingSince;
        }
    }

    /** True once a part of the body, or its end, has been handed to an upstream channel. */
    boolean started() {
        return started;
    }

    /**
     * Stops reading and waits, briefly and bounded, until no upstream thread is reading the container's
     * input stream, so that the caller, on a container thread, may complete the request: the container
     * recycles the stream for another request after that (see {@link ResponseRelay#quiesce()}).
     */
    void quiesce() {
        abandoned = true;
        try {
            if (inContainer.tryLock(ResponseRelay.QUIESCE_LIMIT_MS, TimeUnit.MILLISECONDS)) {
                inContainer.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends the upstream request short of its body's end, from any thread, so the backend never takes it for a
     * whole one: over a connection of its own, {@link #produce} fails the exchange at its next turn, which
     * closes the connection (cancelling alone was seen to leave such a connection open, its backend waiting
     * for the rest of the body). Returns false when that is not for this body to do, and the caller cancels the
     * exchange: its end has gone already, the channel has not asked for any of it yet, or the connection is a
     * shared HTTP/2 one. There any exception from a stream's producer, and HttpClient's handling of a failed
     * exchange, close the connection under every other stream on it; httpcore5-h2 resets a cancelled stream
     * once a frame arrives on it, and a backend waiting for the rest of the body ends its stream at its own read
     * timeout.
     */
    boolean cutOff() {
        if (finished || sharedConnection) {
            return false;
        }
        cutOff = true;
        abandoned = true;
        DataStreamChannel current = channel;
        if (current == null) {
            return false;
        }
        current.requestOutput();
        return true;
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        inContainer.lock();
        try {
            if (cutOff) {
                throw new IOException("The request body was cut off short of its end");
            }
            if (!abandoned) {
                produceWhileReady(channel);
            }
        } finally {
            inContainer.unlock();
        }
    }

    private void produceWhileReady(DataStreamChannel channel) throws IOException {
        this.channel = channel;
        if (finished) {
            return;
        }
        if (pending != null) {
            channel.write(pending);
            if (pending.hasRemaining()) {
                return;
            }
            pending = null;
        }
        try {
            // Cleared before asking, so a callback that comes after the container says "not ready" is not lost.
            readable = false;
            while (true) {
                // Checked first: once the whole body has been read, Tomcat's isReady() called from a thread
                // of its own would answer false, not let read() say -1, and the stream would never end.
                if (in.isFinished()) {
                    started = true;
                    finished = true;
                    channel.endStream(trailers());
                    return;
                }
                // The clock runs from before asking: a callback that comes as the container says "not ready" stops
                // it after it started, never before.
                waitForClient();
                if (!in.isReady()) {
                    break;
                }
                clientHasData();
                int n = in.read(buffer);
                if (n == -1) {
                    started = true;
                    finished = true;
                    channel.endStream(trailers());
                    return;
                }
                started = true;
                received += n;
                if (received > limit) {
                    abandoned = true;
                    tooLarge.run();
                    return;
                }
                progressed.run();
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                channel.write(chunk);
                if (chunk.hasRemaining()) {
                    pending = chunk;
                    return;
                }
            }
        } catch (IOException e) {
            clientFailed.accept(e);
            if (sharedConnection) {
                // The exchange is cancelled; thrown on, this would close the connection under its other streams.
                return;
            }
            throw e;
        }
        // Not ready: the container calls onDataAvailable or onAllDataRead when there is more, which stops the clock.
    }

    /** The client's trailer fields for the end of the upstream body, over chunked HTTP/1.1 or h2c; none for a sized body. */
    private List<Header> trailers() {
        if (contentLength >= 0) {
            return null;
        }
        Map<String, String> fields;
        try {
            fields = trailerFields.get();
        } catch (IllegalStateException e) {
            return null;
        }
        if (fields == null || fields.isEmpty()) {
            return null;
        }
        List<Header> headers = new ArrayList<>();
        fields.forEach((name, value) -> {
            if (Trailers.allowed(name)) {
                headers.add(new BasicHeader(name, value));
            }
        });
        return headers.isEmpty() ? null : headers;
    }

    @Override
    public void onDataAvailable() {
        wakeUp();
    }

    @Override
    public void onAllDataRead() {
        wakeUp();
    }

    @Override
    public void onError(Throwable failure) {
        clientFailed.accept(failure);
    }

    private void wakeUp() {
        clientHasData();
        readable = true;
        DataStreamChannel current = channel;
        if (current != null) {
            current.requestOutput();
        }
    }

    /** Zero when nothing can be sent now, so the channel stops asking until the client has more. */
    @Override
    public int available() {
        if (cutOff) {
            return 1;
        }
        ByteBuffer waiting = pending;
        if (waiting != null) {
            return waiting.remaining();
        }
        return !finished && readable ? 1 : 0;
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    @Override
    public long getContentLength() {
        return contentLength;
    }

    @Override
    public String getContentType() {
        // Copied as a header with the others.
        return null;
    }

    @Override
    public String getContentEncoding() {
        return null;
    }

    @Override
    public boolean isChunked() {
        return contentLength < 0;
    }

    @Override
    public Set<String> getTrailerNames() {
        return Set.of();
    }

    @Override
    public void failed(Exception cause) {
        // The exchange as a whole reports upstream failures.
    }

    @Override
    public void releaseResources() {
        pending = null;
    }
}
