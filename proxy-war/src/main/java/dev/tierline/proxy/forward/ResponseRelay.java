package dev.tierline.proxy.forward;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The client's side of the response, in non-blocking mode. Any thread may queue bytes or an action on the
 * response; one thread at a time, whichever wins the work-in-progress counter, applies them in order as
 * fast as the container accepts data. Nobody waits and no lock is held while calling the container, so
 * an I/O reactor thread and a container thread cannot deadlock over it.
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
    private volatile boolean ended;
    private volatile boolean done;
    private int unreported;

    /**
     * @param out the response's stream, on which this relay is then the write listener
     * @param written told how many bytes the container has taken and sent on, when it is ready for more
     * @param finished called once when everything queued before {@link #end()} is written
     * @param clientFailed called when writing to the client fails, on whichever thread notices
     * @param containerReportedError called after {@code clientFailed} when the container itself reports
     *     the failure, on its own thread, where the request may be completed
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
        int missed = 1;
        try {
            do {
                if (done) {
                    return;
                }
                writeWhileReady();
                missed = workInProgress.addAndGet(-missed);
            } while (missed != 0);
        } catch (IOException | RuntimeException e) {
            abandon();
            clientFailed.accept(e);
        }
    }

    /**
     * Applies queued items while the container takes data; returns when it is not ready or nothing is left.
     * Readiness is asked again only after a write, since actions on the response do not change it.
     */
    private void writeWhileReady() throws IOException {
        if (!out.isReady()) {
            return;
        }
        boolean flushed = true;
        while (true) {
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
