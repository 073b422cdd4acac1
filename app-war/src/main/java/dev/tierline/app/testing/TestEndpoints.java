package dev.tierline.app.testing;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    /** Delayed answers not yet given, ended at once when the application stops. */
    private final Set<AsyncContext> pending = ConcurrentHashMap.newKeySet();

    /** The one servlet that serves every test endpoint; it must be registered async-supported. */
    public HttpServlet servlet() {
        return new TestServlet(timer, pending);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        // A request left waiting would outlive its application; answer it now instead.
        for (AsyncContext async : pending) {
            try {
                ((HttpServletResponse) async.getResponse()).setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                async.complete();
            } catch (IllegalStateException e) {
                // already answered
            }
        }
        pending.clear();
    }
}
