package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.config.ClientLimits;
import dev.tierline.proxy.config.RouteSettings;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * One request on its way through the proxy and its response on the way back. The backend's bytes arrive
 * on an I/O reactor thread and are handed to the {@link ResponseRelay}; the backend is allowed to send more
 * only as the client takes what was sent, so memory per exchange stays bounded whatever the speeds.
 *
 * <p>An exchange makes one or more attempts, each to one backend. An attempt that fails before the
 * backend's response began, in a way that makes sending the request again safe ({@link Replay}), is
 * followed by another to the backend its {@link BackendChoice} offers instead; the client sees only the
 * last one.
 */
final class ProxyExchange implements AsyncListener {

    private final UpstreamClient client;
    private final ExchangeObserver observer;
    private final AsyncContext async;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final RouteSettings route;
    private final ClientLimits clients;
    private final ResponseRelay relay;
    private final AtomicBoolean over = new AtomicBoolean();
    private final AtomicBoolean asyncCompleted = new AtomicBoolean();
    /** Bytes the client has taken that the backend has not yet been allowed to send again. */
    private final AtomicInteger credit = new AtomicInteger();
    private final int minimumPayment;
    private volatile Attempt current;
    private volatile boolean headReceived;
    /** The backend's trailer fields, once its body has ended with some; the client's response ends with them. */
    private volatile Map<String, String> trailers = Map.of();
    private volatile boolean clientGone;
    private String requestId;
    private String path;
    private RequestConfigs.ForRoute configs;
    /** When the exchange began ({@link System#nanoTime()}), for the time it took. */
    private final long started;
    /** Made once, at the first attempt: the container takes one read listener per request. */
    private RequestBody body;
    /** The next check of how fast the client sends its body, cancelled when the exchange ends. */
    private volatile ScheduledFuture<?> bodyPace;
    private boolean emptyBody;

    ProxyExchange(UpstreamClient client, ExchangeObserver observer, AsyncContext async, RouteSettings route,
            ClientLimits clients) {
        this.clients = clients;
        this.started = System.nanoTime();
        this.client = client;
        this.observer = observer;
        this.async = async;
        this.request = (HttpServletRequest) async.getRequest();
        this.response = (HttpServletResponse) async.getResponse();
        this.route = route;
        this.minimumPayment = client.multiplexes() ? UpstreamClient.H2_STREAM_WINDOW / 4 : 1;
        // The backend's timeouts govern; the container's own async timeout would cut off slow downloads.
        async.setTimeout(0);
        async.addListener(this);
        try {
            this.relay = new ResponseRelay(response.getOutputStream(), this::grant, this::finished, this::clientFailed,
                    this::containerReportedError);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void start(BackendChoice first, String path, String id, RequestConfigs.ForRoute configs) {
        this.requestId = id;
        this.path = path;
        this.configs = configs;
        long length = request.getHeader("Transfer-Encoding") != null ? -1 : request.getContentLengthLong();
        if (length == 0) {
            // Nothing to stream (some clients send Content-Length: 0 even on a GET): every attempt gets an
            // empty body of its own, so the request stays as safe to send again as one without a body.
            emptyBody = true;
        } else if (hasBody(request)) {
            try {
                body = new RequestBody(request.getInputStream(), length, route.maxBodyBytes(), this::clientFailed,
                        this::active, this::bodyTooLarge, client.multiplexes(), this::requestTrailers);
            } catch (IOException e) {
                current = new Attempt(first);
                clientFailed(e);
                return;
            }
        }
        if (body != null && clients.limitsBodyPace()) {
            checkBodyPaceIn(clients.bodyTimeout());
        }
        attempt(first);
    }

    /** A timer set further ahead than this is set this far: it checks again then. */
    private static final Duration LONGEST_TIMER = Duration.ofDays(1);

    private void checkBodyPaceIn(Duration delay) {
        ScheduledFuture<?> next = client.later(this::checkBodyPace,
                delay.compareTo(LONGEST_TIMER) < 0 ? delay : LONGEST_TIMER);
        bodyPace = next;
        if (over.get()) {
            // Ended meanwhile: the timer would hold the exchange until it fired.
            next.cancel(false);
        }
    }

    /**
     * A client that keeps the proxy waiting for its body longer than the web tier allows (a slow-body attack,
     * holding a connection and an upstream request open with a byte now and then) gets 408, and its upstream
     * request is cut off. Only the time spent waiting on the client counts; checked again when it could next
     * be over.
     */
    private void checkBodyPace() {
        RequestBody requestBody = body;
        if (over.get() || requestBody.finished()) {
            return;
        }
        long received = requestBody.received();
        long allowed = clients.bodyWaitAllowedNanos(received);
        long waited = requestBody.waitedOnClientNanos(System.nanoTime());
        if (waited < allowed) {
            checkBodyPaceIn(Duration.ofNanos(Math.max(allowed - waited, 1_000_000)));
            return;
        }
        refuseBody(ForwardOutcome.BODY_TOO_SLOW, "the client sent " + received + " bytes of its body in "
                + Duration.ofNanos(waited).toMillis() + " ms of waiting for it");
    }

    private void attempt(BackendChoice choice) {
        Attempt attempt = new Attempt(choice);
        current = attempt;
        Backend backend = choice.backend();
        UpstreamClient.Target target = client.target(backend);
        BasicHttpRequest head = target.request(request.getMethod(),
                UpstreamTarget.of(backend.basePath(), path, request.getQueryString()));
        RequestHeaders.copy(request, head, route, requestId);
        if (route.preserveHost()) {
            RequestHeaders.preserveHost(request, head);
        }
        boolean expectContinue = body != null && "100-continue".equalsIgnoreCase(request.getHeader("Expect"));
        attempt.lastActive = System.nanoTime();
        attempt.watchdog = client.schedule(attempt::checkSilence, route.responseTimeout());
        AsyncEntityProducer entity = emptyBody ? new BasicAsyncEntityProducer(new byte[0], null) : body;
        // End to end: with the client's Expect: 100-continue, the backend's 100 (or its refusal) decides
        // whether the client's body is read.
        attempt.upstream = client.execute(target.host(), head, entity,
                expectContinue ? configs.expectContinue() : configs.plain(), attempt, attempt);
    }

    /** The client's trailer fields, once its body has been read: those the container lets through. */
    private Map<String, String> requestTrailers() {
        return request.isTrailerFieldsReady() ? request.getTrailerFields() : Map.of();
    }

    /** A request has a body when it says so: a Content-Length or a Transfer-Encoding (RFC 9112 6.3). */
    private static boolean hasBody(HttpServletRequest request) {
        if (request.getContentLengthLong() >= 0 || request.getHeader("Transfer-Encoding") != null) {
            return true;
        }
        // HTTP/2 frames a body itself, with no such header: there is one unless the stream ended with the head.
        if ("HTTP/2.0".equals(request.getProtocol())) {
            try {
                return !request.getInputStream().isFinished();
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * One try at one backend. Its callbacks come on an I/O reactor thread; once a later attempt has taken
     * over, whatever this one still hears is ignored.
     */
    private final class Attempt implements AsyncResponseConsumer<Void>, FutureCallback<Void> {

        private final BackendChoice choice;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile Cancellable upstream;
        private volatile CapacityChannel capacity;
        private volatile long lastActive;
        private volatile ScheduledFuture<?> watchdog;
        private FutureCallback<Void> resultCallback;

        Attempt(BackendChoice choice) {
            this.choice = choice;
        }

        Backend backend() {
            return choice.backend();
        }

        @Override
        public void consumeResponse(HttpResponse head, EntityDetails entity, HttpContext context,
                FutureCallback<Void> callback) {
            active();
            headReceived = true;
            resultCallback = callback;
            relay.perform(() -> {
                ResponseHeaders.relay(head, choice, route, requestId, request, response);
                if (entity != null && entity.getContentLength() < 0) {
                    // A body without a length may end with trailer fields: relayed as the client's response ends
                    // (chunked HTTP/1.1, or HTTP/2), read then from what the backend's stream ended with.
                    try {
                        response.setTrailerFields(() -> trailers);
                    } catch (IllegalStateException e) {
                        // An HTTP/1.0 client: no trailers for it.
                    }
                }
            });
            if (entity == null) {
                relay.end();
                callback.completed(null);
            }
        }

        @Override
        public void informationResponse(HttpResponse head, HttpContext context) {
            // 100 Continue is the client library's business; other 1xx are not passed on.
        }

        /**
         * The client library hands the channel over only once the initial window is used up; bytes the
         * client took before that are owed to it then, or the window would stay shut and the download stall.
         */
        @Override
        public void updateCapacity(CapacityChannel channel) throws IOException {
            this.capacity = channel;
            payCredit();
        }

        @Override
        public void consume(ByteBuffer src) throws IOException {
            active();
            if (clientGone) {
                if (client.multiplexes()) {
                    // The stream is being reset; failing here could close the connection the others share.
                    return;
                }
                // Failing here makes the client library close the upstream connection instead of pooling it.
                throw new IOException("The client went away; the rest of the response is not wanted");
            }
            if (relay.sendNow(src)) {
                return;
            }
            ByteBuffer copy = ByteBuffer.allocate(src.remaining());
            copy.put(src).flip();
            relay.send(copy);
        }

        @Override
        public void streamEnd(List<? extends Header> fields) {
            if (fields != null && !fields.isEmpty()) {
                trailers = Trailers.relayed(fields);
            }
            relay.end();
            FutureCallback<Void> callback = resultCallback;
            if (callback != null) {
                callback.completed(null);
            }
        }

        /** The response's consumer or the exchange's callback: the attempt failed. */
        @Override
        public void failed(Exception cause) {
            upstreamFailed(this, cause);
        }

        @Override
        public void completed(Void result) {
            // The relay finishes the exchange once the client has everything.
        }

        @Override
        public void cancelled() {
            upstreamFailed(this, new CancellationException());
        }

        @Override
        public void releaseResources() {
            // Nothing held beyond the relay's queue, which the relay owns.
        }

        // The response timeout of a stream that shares its connection (HTTP/2): the backend has been silent
        // too long when neither a part of the response arrived, nor the client took any, nor the client sent
        // more of its body, for the route's response timeout. HTTP/1.1 has the connection's socket timeout.

        void checkSilence() {
            if (over.get() || current != this) {
                return;
            }
            long timeout = route.responseTimeout().toNanos();
            long silent = System.nanoTime() - lastActive;
            if (silent < timeout) {
                watchdog = client.schedule(this::checkSilence, Duration.ofNanos(timeout - silent));
                return;
            }
            upstreamFailed(this, new SocketTimeoutException("The backend sent nothing for " + route.responseTimeout()));
            cancel();
        }

        void stopWatching() {
            ScheduledFuture<?> timer = watchdog;
            if (timer != null) {
                timer.cancel(false);
            }
        }

        void cancel() {
            Cancellable exchange = upstream;
            if (exchange != null) {
                exchange.cancel();
            }
        }
    }

    /** Something happened on the way: the attempt now in progress is still the one the backend talks to. */
    private void active() {
        Attempt attempt = current;
        if (attempt != null) {
            attempt.lastActive = System.nanoTime();
        }
    }

    /** The client took {@code count} more bytes: the backend may send as many more. */
    private void grant(int count) {
        active();
        credit.addAndGet(count);
        try {
            payCredit();
        } catch (IOException e) {
            upstreamFailed(current, e);
        }
    }

    /**
     * Over HTTP/2 each payment is a WINDOW_UPDATE frame, so small ones are saved up until they reach a
     * quarter of the stream's window: the backend still has the rest of it to send on, and a stream of tiny
     * events does not become a stream of tiny control frames.
     */
    private void payCredit() throws IOException {
        Attempt attempt = current;
        CapacityChannel channel = attempt == null ? null : attempt.capacity;
        if (channel != null) {
            int owed = credit.get();
            if (owed < minimumPayment || !credit.compareAndSet(owed, 0)) {
                return;
            }
            channel.update(owed);
        }
    }

    // Ends.

    /** Tells the observer how the exchange ended, and after how long. */
    private void ended(Attempt attempt, ForwardOutcome outcome, int status) {
        ScheduledFuture<?> pace = bodyPace;
        if (pace != null) {
            pace.cancel(false);
        }
        observer.ended(request, attempt.backend(), outcome, status, System.nanoTime() - started);
    }

    /** Tells the attempt's chooser, once, how it ended. */
    private static void end(Attempt attempt, ForwardOutcome outcome) {
        if (attempt.ended.compareAndSet(false, true)) {
            attempt.choice.ended(outcome);
        }
    }

    private void upstreamFailed(Attempt attempt, Throwable cause) {
        ForwardOutcome failure = ForwardOutcome.ofUpstreamFailure(cause);
        if (attempt != current || over.get()) {
            // An earlier attempt's late word, or the exchange already ended another way.
            end(attempt, failure);
            return;
        }
        attempt.stopWatching();
        if (!headReceived && !clientGone && !attempt.ended.get() && replayable(failure)) {
            end(attempt, failure);
            Optional<BackendChoice> next = attempt.choice.retry(failure);
            if (next.isPresent() && !over.get() && !clientGone) {
                attempt(next.get());
                return;
            }
        }
        if (!over.compareAndSet(false, true)) {
            return;
        }
        // Once the backend has answered, a failure of its body is not held against its health: an idle
        // stream that times out is no sign of a sick backend.
        end(attempt, headReceived ? ForwardOutcome.FAILED_AFTER_COMMIT : failure);
        answer(attempt, failure, cause.toString());
    }

    /**
     * The client's body grew past the route's limit, on a reactor thread reading it: the upstream request ends
     * short of its body's end, so the backend never gets it whole. The client gets 413, and Tomcat closes its
     * connection, as after every 413.
     */
    private void bodyTooLarge() {
        refuseBody(ForwardOutcome.BODY_TOO_LARGE, "the request body grew past " + route.maxBodyBytes() + " bytes");
    }

    /**
     * Ends the exchange for a body that cannot go on: the upstream request is cut off short of its end, and
     * the client gets the outcome's status (or, after the response began, a cut-off response).
     */
    private void refuseBody(ForwardOutcome outcome, String reason) {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        Attempt attempt = current;
        attempt.stopWatching();
        end(attempt, outcome);
        cutShort(attempt);
        answer(attempt, outcome, reason);
    }

    /** Ends the attempt's upstream exchange before its request is whole (see {@link RequestBody#cutOff()}). */
    private void cutShort(Attempt attempt) {
        if (body == null || !body.cutOff()) {
            attempt.cancel();
        }
    }

    /** The client's answer to a failed exchange: the failure's status, or a cut-off response once one began. */
    private void answer(Attempt attempt, ForwardOutcome failure, String reason) {
        // Decided in the relay, in order with what was queued before: only then is "committed" settled.
        relay.perform(() -> {
            if (failure == ForwardOutcome.MALFORMED_BODY && !headReceived) {
                // The container has answered the body it refused (Tomcat sets 400 as it reads). A dispatch hands
                // the request back to it, and it reports the error to onError on a thread of its own, then
                // sends that answer itself; the servlet is not called again (were it, it would cut off).
                relay.abandon();
                ended(attempt, failure, failure.status());
                request.setAttribute(Forwarder.ABORT_ATTRIBUTE, reason);
                async.dispatch();
            } else if (!response.isCommitted()) {
                sendError(failure);
                ended(attempt, failure, failure.status());
            } else {
                relay.abandon();
                ended(attempt, ForwardOutcome.FAILED_AFTER_COMMIT, response.getStatus());
                request.setAttribute(Forwarder.ABORT_ATTRIBUTE, reason);
                async.dispatch();
            }
        });
    }

    private boolean replayable(ForwardOutcome failure) {
        return Replay.safe(failure, request.getMethod(), route.retryMethods(),
                route.idempotencyKeyRetries() && request.getHeader("Idempotency-Key") != null,
                body != null && body.started());
    }

    private void sendError(ForwardOutcome failure) {
        ErrorResponse error = observer.errorResponse(request, failure);
        relay.perform(() -> error.writeHead(response, requestId));
        relay.send(ByteBuffer.wrap(error.body()));
        relay.end();
    }

    private void clientFailed(Throwable cause) {
        if (RequestBody.isMalformed(cause)) {
            // Not a client that left: one still waiting, whose body the container refused to read on. It gets
            // 400, and Tomcat closes its connection, as after every 400.
            refuseBody(ForwardOutcome.MALFORMED_BODY, String.valueOf(cause));
            return;
        }
        if (!over.compareAndSet(false, true)) {
            return;
        }
        clientGone = true;
        Attempt attempt = current;
        attempt.stopWatching();
        end(attempt, ForwardOutcome.CLIENT_ABORTED);
        relay.abandon();
        if (headReceived && !client.multiplexes()) {
            // The response is streaming: open the window so the client library reads on, and consume()
            // fails the exchange, which closes the upstream connection. Cancelling the future here can
            // hand the connection back with the response unread, leaving the backend blocked on it. An
            // HTTP/2 stream is simply reset, below.
            grant(Integer.MAX_VALUE / 2);
        } else {
            cutShort(attempt);
        }
        ended(attempt, ForwardOutcome.CLIENT_ABORTED, ExchangeObserver.CLIENT_CLOSED);
        // Not completed here: this may run on an I/O thread while the container handles the same error
        // and completes the request itself, after which the async context may already serve another
        // request. The container reports the error to onError, on its own thread, which completes.
    }

    /** The relay wrote everything: the response is complete. */
    private void finished() {
        Attempt attempt = current;
        attempt.stopWatching();
        if (over.compareAndSet(false, true)) {
            end(attempt, ForwardOutcome.COMPLETED);
            ended(attempt, ForwardOutcome.COMPLETED, response.getStatus());
        }
        completeAsync();
    }

    /** Before a container thread completes: no upstream thread may still be inside the container's streams. */
    private void quiesce() {
        relay.quiesce();
        RequestBody requestBody = body;
        if (requestBody != null) {
            requestBody.quiesce();
        }
    }

    private void completeAsync() {
        if (asyncCompleted.compareAndSet(false, true)) {
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // Already completed by the container after an error.
            }
        }
    }

    // The container's view of the async request.

    @Override
    public void onComplete(AsyncEvent event) {
        asyncCompleted.set(true);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        clientFailed(event.getThrowable());
        containerReportedError();
    }

    @Override
    public void onError(AsyncEvent event) {
        clientFailed(event.getThrowable());
        if (RequestBody.isMalformed(event.getThrowable())) {
            // The container finishes a request whose body it refused, with its own 400: completing it here
            // races with that, and can close the connection before the answer is written.
            quiesce();
            return;
        }
        containerReportedError();
    }

    /** On a container thread, which may complete the request once no upstream thread is inside it. */
    private void containerReportedError() {
        quiesce();
        completeAsync();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // Not restarted.
    }
}
