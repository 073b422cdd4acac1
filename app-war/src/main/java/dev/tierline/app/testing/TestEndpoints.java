package dev.tierline.app.testing;

import jakarta.servlet.http.HttpServlet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The endpoints under {@code /api/test/*} that the proxy's tests drive: echo, bytes, delay, redirect and
 * cookie. They exist only when switched on, and own the timer the delay endpoint answers from.
 */
public final class TestEndpoints implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tierline-test-delay");
        thread.setDaemon(true);
        return thread;
    });

    /** The one servlet that serves every test endpoint; it must be registered async-supported. */
    public HttpServlet servlet() {
        return new TestServlet(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
