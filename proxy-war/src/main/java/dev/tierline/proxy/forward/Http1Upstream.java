package dev.tierline.proxy.forward;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.ConnectExceptionSupport;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.DefaultThreadFactory;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.config.CharCodingConfig;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.impl.nio.ClientHttp1IOEventHandlerFactory;
import org.apache.hc.core5.http.impl.nio.ClientHttp1StreamDuplexerFactory;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.nio.command.RequestExecutionCommand;
import org.apache.hc.core5.http.nio.command.ShutdownCommand;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpProcessor;
import org.apache.hc.core5.http.protocol.HttpProcessorBuilder;
import org.apache.hc.core5.http.protocol.RequestContent;
import org.apache.hc.core5.http.protocol.RequestTargetHost;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.DefaultDisposalCallback;
import org.apache.hc.core5.pool.LaxConnPool;
import org.apache.hc.core5.pool.PoolEntry;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.reactor.Command;
import org.apache.hc.core5.reactor.DefaultConnectingIOReactor;
import org.apache.hc.core5.reactor.EndpointParameters;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP/1.1 exchanges with the app tier on HttpCore's I/O reactor and connection pool, with nothing between
 * them and the connection: HttpClient's exec chain (redirects, retries, cookies, authentication, compression,
 * its copy of every request) has nothing to do for a reverse proxy, and cost a fifth of the forwarding path's
 * allocations. What the chain did that a proxy needs is here: the route's connect, response and
 * connection-wait timeouts, the source address, each backend's idle timeout, and a connection pooled again
 * only when both messages ended cleanly and the backend keeps it alive.
 */
final class Http1Upstream implements Closeable {

    static final int BUFFER_SIZE = 8 * 1024;

    private final DefaultConnectingIOReactor reactor;
    private final LaxConnPool<HttpHost, IOSession> pool;
    private final PooledConnections connections;
    /** The local address to connect from, any port; null for the system's choice. */
    private final InetSocketAddress source;

    Http1Upstream(int maxConnectionsPerBackend, Optional<InetAddress> sourceAddress, PooledConnections connections,
            IOReactorConfig reactorConfig, Optional<SSLContext> trust) {
        this.connections = connections;
        this.source = sourceAddress.map(address -> new InetSocketAddress(address, 0)).orElse(null);
        // LAX: no global lock on lease and release, which matters more than strict limits here. LIFO reuses the
        // warmest connections and lets the others idle out. No time to live: idleness decides, per backend.
        this.pool = new LaxConnPool<>(maxConnectionsPerBackend, TimeValue.NEG_ONE_MILLISECOND, PoolReusePolicy.LIFO,
                new DefaultDisposalCallback<>(), null);
        // Only what HTTP/1.1 itself requires of a request: its framing headers and a Host. No User-Agent, no
        // Connection header (persistence is HTTP/1.1's default), no Expect the client did not send.
        HttpProcessor processor = HttpProcessorBuilder.create()
                .add(new RequestContent())
                .add(new RequestTargetHost())
                .build();
        // Each connection holds three buffers of this size, 24 KiB in all, for as long as it lives: a quarter of
        // the library's default (32 KiB each), as nginx's proxy_buffer_size is a page or two. The body still
        // streams in blocks of up to this size.
        Http1Config http1 = Http1Config.custom().setBufferSize(BUFFER_SIZE).build();
        ClientHttp1StreamDuplexerFactory duplexers = new ClientHttp1StreamDuplexerFactory(processor, http1,
                CharCodingConfig.DEFAULT);
        // Backends named https:// are verified as a browser would: their chain against the configured trust store
        // (or the JDK's), and their host name against the certificate.
        TlsStrategy tls = trust.<TlsStrategy>map(DefaultClientTlsStrategy::new)
                .orElseGet(DefaultClientTlsStrategy::createDefault);
        this.reactor = new DefaultConnectingIOReactor(
                new ClientHttp1IOEventHandlerFactory(duplexers, tls, null),
                reactorConfig, new DefaultThreadFactory("tierline-upstream", true), null, null, null, null,
                ShutdownCommand.GRACEFUL_IMMEDIATE_CALLBACK, null);
        connections.sweepIn(pool);
        reactor.start();
    }

    /**
     * Sends {@code head} with {@code entity} (null for none) to {@code target} over a pooled connection, and hands
     * the response to {@code consumer}; {@code callback} hears how the exchange ended. The request's Expect:
     * 100-continue is {@code config}'s to say.
     */
    <T> Cancellable execute(HttpHost target, HttpRequest head, AsyncEntityProducer entity, RequestConfig config,
            AsyncResponseConsumer<T> consumer, FutureCallback<T> callback) {
        if (config.isExpectContinueEnabled()) {
            head.setHeader("Expect", "100-continue");
        }
        Exchange<T> exchange = new Exchange<>(target, head, entity, config, consumer, callback);
        exchange.lease = pool.lease(target, null, config.getConnectionRequestTimeout(), exchange);
        return exchange::abort;
    }

    @Override
    public void close() {
        reactor.close(CloseMode.GRACEFUL);
        pool.close(CloseMode.IMMEDIATE);
    }

    /**
     * One exchange: it leases a connection, opens one when the pool has none idle, runs the request on it and
     * gives it back. Its callbacks come on the reactor thread that owns the connection.
     */
    private final class Exchange<T> implements AsyncClientExchangeHandler, DataStreamChannel,
            FutureCallback<PoolEntry<HttpHost, IOSession>> {

        private final HttpHost target;
        private final HttpRequest head;
        private final AsyncEntityProducer entity;
        private final RequestConfig config;
        private final AsyncResponseConsumer<T> consumer;
        private final FutureCallback<T> callback;
        /** The pool's entry while this exchange holds it. */
        private final AtomicReference<PoolEntry<HttpHost, IOSession>> leased = new AtomicReference<>();
        /** Set once the exchange's end has been told: the callback hears of one end only. */
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile Future<?> lease;
        private volatile Future<IOSession> connect;
        private volatile IOSession session;
        private volatile boolean cancelled;
        /** The channel the request body is written to, while it is. */
        private DataStreamChannel out;
        private volatile boolean requestSent;
        private volatile boolean keepAlive;

        Exchange(HttpHost target, HttpRequest head, AsyncEntityProducer entity, RequestConfig config,
                AsyncResponseConsumer<T> consumer, FutureCallback<T> callback) {
            this.target = target;
            this.head = head;
            this.entity = entity;
            this.config = config;
            this.consumer = consumer;
            this.callback = callback;
            this.requestSent = entity == null;
        }

        // The pool's answer.

        @Override
        public void completed(PoolEntry<HttpHost, IOSession> entry) {
            leased.set(entry);
            if (cancelled) {
                release(false);
                return;
            }
            IOSession pooled = entry.getConnection();
            if (pooled != null && (!pooled.isOpen() || idleTooLong(entry))) {
                entry.discardConnection(CloseMode.GRACEFUL);
            }
            if (entry.hasConnection()) {
                send(entry.getConnection());
                return;
            }
            @SuppressWarnings("deprecation")
            Timeout connectTimeout = config.getConnectTimeout();
            connect = reactor.connect(target, null, source, connectTimeout, new EndpointParameters(target, null),
                    new FutureCallback<>() {
                        @Override
                        public void completed(IOSession opened) {
                            entry.assignConnection(opened);
                            if (cancelled) {
                                release(false);
                                return;
                            }
                            send(opened);
                        }

                        @Override
                        public void failed(Exception cause) {
                            release(false);
                            fail(cause instanceof IOException io ? ConnectExceptionSupport.enhance(io, target) : cause);
                        }

                        @Override
                        public void cancelled() {
                            release(false);
                            fail(new CancellationException());
                        }
                    });
        }

        /** The pool's cancellation, or the exchange's. */
        @Override
        public void cancelled() {
            abort();
        }

        private boolean idleTooLong(PoolEntry<HttpHost, IOSession> entry) {
            return System.currentTimeMillis() - entry.getUpdated() > connections.idleMillis(target);
        }

        private void send(IOSession connection) {
            session = connection;
            // One exchange at a time on the connection: its socket timeout is this exchange's response timeout.
            connection.setSocketTimeout(config.getResponseTimeout());
            connection.enqueue(new RequestExecutionCommand(this, null), Command.Priority.NORMAL);
            if (!connection.isOpen()) {
                failed(new ConnectionClosedException());
            }
        }

        /**
         * Gives the connection back: for reuse only when both messages ended and the backend keeps it open,
         * or a request could go down a connection still busy or closing.
         */
        private void release(boolean reusable) {
            PoolEntry<HttpHost, IOSession> entry = leased.getAndSet(null);
            if (entry == null) {
                return;
            }
            IOSession connection = entry.getConnection();
            if (reusable && connection != null && connection.isOpen()) {
                // Idle in the pool, a connection has no socket timeout: the last exchange's would otherwise
                // fire on it, and could fail the next exchange the moment it is taken. Idleness is the pool's
                // to bound (each backend's idle timeout, at lease and in the sweep).
                connection.setSocketTimeout(Timeout.DISABLED);
                entry.updateExpiry(TimeValue.NEG_ONE_MILLISECOND);
                pool.release(entry, true);
            } else {
                entry.discardConnection(CloseMode.GRACEFUL);
                pool.release(entry, false);
            }
        }

        private void fail(Exception cause) {
            if (!over.compareAndSet(false, true)) {
                return;
            }
            try {
                if (entity != null) {
                    entity.failed(cause);
                }
                consumer.failed(cause);
            } finally {
                if (cause instanceof CancellationException) {
                    callback.cancelled();
                } else {
                    callback.failed(cause);
                }
            }
        }

        /**
         * Before the request is sent, stops the wait; after, closes the connection, the only way to end an
         * HTTP/1.1 exchange early.
         */
        boolean abort() {
            cancelled = true;
            Future<?> waiting = lease;
            if (waiting != null) {
                waiting.cancel(true);
            }
            Future<IOSession> opening = connect;
            if (opening != null) {
                opening.cancel(true);
            }
            IOSession connection = session;
            if (connection != null) {
                connection.close(CloseMode.IMMEDIATE);
            }
            release(false);
            fail(new CancellationException());
            return true;
        }

        // AsyncClientExchangeHandler: the connection's side.

        @Override
        public void produceRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
            channel.sendRequest(head, entity, context);
        }

        @Override
        public int available() {
            return entity == null ? 0 : entity.available();
        }

        @Override
        public void produce(DataStreamChannel channel) throws IOException {
            out = channel;
            entity.produce(this);
        }

        @Override
        public void consumeInformation(HttpResponse response, HttpContext context) throws HttpException, IOException {
            consumer.informationResponse(response, context);
        }

        @Override
        public void consumeResponse(HttpResponse response, EntityDetails details, HttpContext context)
                throws HttpException, IOException {
            if (response.containsHeader(HttpHeaders.CONTENT_LENGTH)
                    && response.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
                // RFC 9112 6.3: a sign of smuggling or a broken backend; its length cannot be trusted either way,
                // so nothing of it reaches the client and the connection is not used again.
                throw new ProtocolException("The backend sent both Content-Length and Transfer-Encoding");
            }
            keepAlive = DefaultConnectionReuseStrategy.INSTANCE.keepAlive(head, response, context);
            if (details == null) {
                responseEnded();
            }
            consumer.consumeResponse(response, details, context, callback);
        }

        @Override
        public void updateCapacity(CapacityChannel channel) throws IOException {
            consumer.updateCapacity(channel);
        }

        @Override
        public void consume(ByteBuffer src) throws IOException {
            consumer.consume(src);
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
            responseEnded();
            consumer.streamEnd(trailers);
        }

        /** The whole response is in: the connection goes back, and nothing later is this exchange's end. */
        private void responseEnded() {
            release(keepAlive && requestSent);
            over.set(true);
        }

        /**
         * The connection's word that the exchange failed, or the pool's that no connection came free within the
         * connection-wait timeout.
         */
        @Override
        public void failed(Exception cause) {
            release(false);
            fail(cause instanceof TimeoutException ? new ConnectionRequestTimeoutException("No connection to "
                    + target + " came free within " + config.getConnectionRequestTimeout()) : cause);
        }

        @Override
        public void cancel() {
            abort();
        }

        @Override
        public void releaseResources() {
            release(false);
            if (entity != null) {
                entity.releaseResources();
            }
            consumer.releaseResources();
        }

        // DataStreamChannel: the request body's way out, which notes when the body has ended.

        @Override
        public void requestOutput() {
            out.requestOutput();
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return out.write(src);
        }

        @Override
        public void endStream() throws IOException {
            endStream(null);
        }

        @Override
        public void endStream(List<? extends Header> trailers) throws IOException {
            requestSent = true;
            out.endStream(trailers);
        }
    }
}
