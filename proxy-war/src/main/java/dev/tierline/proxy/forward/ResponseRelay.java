package dev.tierline.proxy.forward;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The client's side of the response, in non-blocking mode. Any thread may queue bytes or an action on the
 * response; one thread at a time, whichever wins the work-in-progress counter, applies them in order as
 * fast as the container accepts data. Nobody waits on the container.
 *
 * <p>The one wait: when the container reports that the client is gone, it completes the request and then
 * recycles the response's objects for another request, perhaps on another connection. A relay thread
 * still inside a write at that moment would write into that other response. So the container's thread,
 * before the request is completed, {@linkplain #quiesce() waits} for the relay to step out of the
 * container's objects, briefly and bounded: every call inside is non-blocking.
 */
final class ResponseRelay implements WriteListener {

    /** What the relay applies, in order: bytes to write, or an action on the response. */
    private sealed interface Item permits Data, Action {
    }

    private record Data(ByteBuffer bytes) implements Item {
    }

    private record Action(Runnable action) implements Item {
    }

    private final ServletOutputStream out;
    private final IntConsumer written;
    private final Runnable finished;
    private final Consumer<Throwable> clientFailed;
    private final Runnable containerReportedError;
    private final Queue<Item> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger workInProgress = new AtomicInteger();
    /** Held while a relay thread uses the container's objects; see {@link #quiesce()}. */
    private final ReentrantLock inContainer = new ReentrantLock();
    private volatile boolean ended;
    private volatile boolean done;
    private int unreported;

    /**
     * @param out the response's stream, on which this relay is then the write listener
     * @param written told how many bytes the container has taken and sent on, when it is ready for more
     * @param finished called once when everything queued before {@link #end()} is written
     * @param clientFailed called when writing to the client fails, on whichever thread notices
     * @param containerReportedError called after {@code clientFailed} when the container itself reports
     *     the failure, on its own thread, where the request may be completed after {@link #quiesce()}
     */
    ResponseRelay(ServletOutputStream out, IntConsumer written, Runnable finished, Consumer<Throwable> clientFailed,
            Runnable containerReportedError) {
        this.out = out;
        this.written = written;
        this.finished = finished;
        this.clientFailed = clientFailed;
        this.containerReportedError = containerReportedError;
        out.setWriteListener(this);
    }

    /** Queues bytes to write; the relay owns {@code bytes} from now on. */
    void send(ByteBuffer bytes) {
        queue.add(new Data(bytes));
        drain();
    }

    /**
     * Writes {@code bytes} straight to the container when nothing is queued before them, no other thread is
     * writing and the container is ready: the caller's buffer is then taken, with no copy of its own. Returns
     * false, having taken nothing, when the caller must {@linkplain #send(ByteBuffer) queue} a copy instead.
     */
    boolean sendNow(ByteBuffer bytes) {
        if (!queue.isEmpty() || !workInProgress.compareAndSet(0, 1)) {
            return false;
        }
        inContainer.lock();
        try {
            if (done || !queue.isEmpty() || !out.isReady()) {
                // Gives up the turn, taking up what other threads queued meanwhile.
                relayFrom(true);
                return false;
            }
            unreported += bytes.remaining();
            out.write(bytes);
            if (bytes.hasRemaining()) {
                // The container takes all of it when it said it was ready; should it not, the rest waits in turn.
                ByteBuffer rest = ByteBuffer.allocate(bytes.remaining());
                rest.put(bytes).flip();
                queue.add(new Data(rest));
            }
            relayFrom(false);
        } catch (IOException | RuntimeException e) {
            abandon();
            clientFailed.accept(e);
        } finally {
            inContainer.unlock();
        }
        return true;
    }

    /** Queues an action on the response (status, headers, reset), applied after what is queued before it. */
    void perform(Runnable action) {
        queue.add(new Action(action));
        drain();
    }

    /** Nothing more will be queued: finish once the queue is written. */
    void end() {
        ended = true;
        drain();
    }

    /** Stops writing: what is still queued is dropped. */
    void abandon() {
        done = true;
        queue.clear();
    }

    /**
     * Abandons the relay and waits until no relay thread is using the container's objects, so that the
     * caller, on a container thread, may complete the request. Bounded: should a relay thread be held up
     * inside the container for longer, the caller goes on.
     */
    void quiesce() {
        abandon();
        try {
            if (inContainer.tryLock(QUIESCE_LIMIT_MS, TimeUnit.MILLISECONDS)) {
                inContainer.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final long QUIESCE_LIMIT_MS = 500;

    @Override
    public void onWritePossible() {
        drain();
    }

    @Override
    public void onError(Throwable failure) {
        abandon();
        clientFailed.accept(failure);
        containerReportedError.run();
    }

    private void drain() {
        if (workInProgress.getAndIncrement() != 0) {
            return;
        }
        inContainer.lock();
        try {
            relayFrom(true);
        } catch (IOException | RuntimeException e) {
            abandon();
            clientFailed.accept(e);
        } finally {
            inContainer.unlock();
        }
    }

    /**
     * As the thread whose turn it is to write (holding the work-in-progress count and the container lock),
     * writes what is queued, and again while other threads queued more meanwhile; then gives up the turn.
     *
     * @param flushed false when this thread has just written without flushing
     */
    private void relayFrom(boolean flushed) throws IOException {
        int missed = 1;
        boolean clean = flushed;
        do {
            if (done) {
                return;
            }
            writeWhileReady(clean);
            clean = true;
            missed = workInProgress.addAndGet(-missed);
        } while (missed != 0);
    }

    /**
     * Applies queued items while the container takes data; returns when it is not ready or nothing is left.
     * Readiness is asked again only after a write, since actions on the response do not change it.
     *
     * @param flushed false when something was written before and not flushed
     */
    private void writeWhileReady(boolean flushed) throws IOException {
        if (!out.isReady()) {
            return;
        }
        while (!done) {
            Item item = queue.poll();
            if (item == null) {
                if (ended) {
                    done = true;
                    finished.run();
                    return;
                }
                // Caught up with the backend: pass on what was written, so a stream reaches the client
                // as the backend produces it, then ask the backend for as much as was sent.
                if (!flushed) {
                    out.flush();
                    if (!out.isReady()) {
                        return;
                    }
                }
                if (unreported > 0) {
                    int count = unreported;
                    unreported = 0;
                    written.accept(count);
                }
                return;
            }
            if (item instanceof Data data) {
                unreported += data.bytes().remaining();
                out.write(data.bytes());
                flushed = false;
                if (!out.isReady()) {
                    return;
                }
            } else {
                ((Action) item).action().run();
            }
        }
    }
}
