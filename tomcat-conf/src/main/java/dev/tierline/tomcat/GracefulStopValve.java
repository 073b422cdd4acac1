package dev.tierline.tomcat;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;

/**
 * Lets the requests in flight finish when Tomcat stops, for at most {@code graceMillis}: in the Engine, it counts
 * every request from its arrival to its end (an asynchronous one until it completes), and when the Engine stops
 * it waits for the count to reach zero before the applications are stopped. By then Tomcat has paused the
 * connectors: no new connection is accepted, and a new request on a kept-alive connection gets 503 and the
 * connection closed; the requests in flight go on to their end, and idle connections are closed when the
 * connectors stop. A request still in flight at the end of the grace has its connection closed, without an
 * answer or in the middle of one (nothing more it writes goes out, not even the end of a chunked body), so
 * that a client never takes a request cut short by the stop for a whole answer: as the applications stop,
 * Tomcat would otherwise end it as if it were done (an empty 200, or a stream ended cleanly).
 */
public class GracefulStopValve extends ValveBase {

    private static final Log LOG = LogFactory.getLog(GracefulStopValve.class);

    static final long DEFAULT_GRACE_MILLIS = 20_000;

    /** The requests that have arrived and not yet ended. */
    private final Set<Request> inFlight = ConcurrentHashMap.newKeySet();
    private volatile long graceMillis = DEFAULT_GRACE_MILLIS;

    public GracefulStopValve() {
        super(true);
    }

    /** The longest the Engine's stop waits for the requests in flight, in milliseconds. */
    public long getGraceMillis() {
        return graceMillis;
    }

    public void setGraceMillis(long graceMillis) {
        if (graceMillis < 0) {
            throw new IllegalArgumentException("graceMillis: 0 or more, not " + graceMillis);
        }
        this.graceMillis = graceMillis;
    }

    /** Requests that have arrived and not yet ended. */
    public int getInFlight() {
        return inFlight.size();
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        inFlight.add(request);
        boolean endsLater = false;
        try {
            getNext().invoke(request, response);
            if (request.isAsyncStarted()) {
                try {
                    request.getAsyncContext().addListener(new End(request));
                    endsLater = true;
                } catch (IllegalStateException e) {
                    // Already completing: it ends now, as far as this count goes.
                }
            }
        } finally {
            if (!endsLater) {
                inFlight.remove(request);
            }
        }
    }

    @Override
    protected synchronized void stopInternal() throws LifecycleException {
        // At most a day, so that the deadline cannot overflow.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(graceMillis, TimeUnit.DAYS.toMillis(1)));
        int waiting = inFlight.size();
        if (waiting > 0) {
            LOG.info("Stopping: waiting up to " + graceMillis + " ms for " + waiting + " requests in flight");
        }
        try {
            while (!inFlight.isEmpty() && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (waiting > 0) {
            int left = inFlight.size();
            LOG.info(left == 0 ? "Stopping: every request in flight has ended"
                    : "Stopping: " + left + " requests still in flight after " + graceMillis + " ms; their connections are"
                            + " closed");
        }
        for (Request request : inFlight) {
            // Nothing more is written for it, and its connection is closed when it ends.
            request.getCoyoteRequest().action(ActionCode.CLOSE_NOW, null);
        }
        super.stopInternal();
    }

    /** Counts an asynchronous request out when it completes, however it ends. */
    private final class End implements AsyncListener {

        private final Request request;

        End(Request request) {
            this.request = request;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            inFlight.remove(request);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows.
        }

        @Override
        public void onError(AsyncEvent event) {
            // onComplete follows.
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // Asynchronous again, in a dispatch: the container drops its listeners then, so this one stays.
            event.getAsyncContext().addListener(this);
        }
    }
}
