package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.config.RouteSettings;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.ChunkedInputStream;
import org.apache.hc.core5.http.impl.io.ContentLengthInputStream;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParser;
import org.apache.hc.core5.http.impl.io.IdentityInputStream;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;
import org.apache.hc.core5.http.message.BasicHttpRequest;

/**
 * WebSocket connections through the web tier. The handshake is made with the backend on the container's thread,
 * over a connection of its own (HTTP/1.1, as RFC 6455 has it): the container switches the client's connection
 * only when the servlet returns, so the backend's 101 must be in hand by then. The 101 and its
 * {@code Sec-WebSocket-*} headers go to the client, and a {@link Tunnel} relays bytes both ways from then on;
 * any other answer (a refusal, a redirect) is relayed as it came, and the backend's connection closed.
 *
 * <p>A connection that fails before anything was sent goes to another backend, as a forwarded request would. Each
 * tunnel counts as in flight on its backend until it ends (so a drain waits for it), and against its route's
 * {@code maxTunnels}.
 */
public final class WebSocketTunnels implements Closeable {

    private static final Logger LOG = Logger.getLogger(WebSocketTunnels.class.getName());
    private static final int HEAD_BUFFER = 8 * 1024;
    private static final Http1Config HEAD_LIMITS = Http1Config.custom().setMaxLineLength(HEAD_BUFFER)
            .setMaxHeaderCount(100).build();
    /** A timeout longer than this is this long: the sweep's arithmetic stays far from overflowing. */
    private static final Duration LONGEST = Duration.ofDays(3650);

    private final TunnelRelay relay = new TunnelRelay();
    private final Optional<InetAddress> sourceAddress;
    private final Map<String, AtomicInteger> openPerRoute = new ConcurrentHashMap<>();

    /** @param sourceAddress the local address to connect to backends from, as the upstream client does */
    public WebSocketTunnels(Optional<InetAddress> sourceAddress) {
        this.sourceAddress = sourceAddress;
    }

    /**
     * How a handshake ended.
     *
     * @param outcome {@link ForwardOutcome#COMPLETED} when the client got the backend's answer (its 101, or its
     *     refusal); otherwise the failure the proxy answers for
     * @param backend the backend last tried
     * @param status the status the client got, or the failure's
     */
    public record Result(ForwardOutcome outcome, Backend backend, int status) {
    }

    /**
     * A WebSocket opening handshake (RFC 6455 section 4.1): a GET over HTTP/1.1 asking to upgrade to websocket. Asked
     * of every request, so a request without Upgrade is told apart by one header lookup.
     */
    public static boolean isHandshake(HttpServletRequest request) {
        return request.getHeader("Upgrade") != null && "GET".equals(request.getMethod())
                && "HTTP/1.1".equals(request.getProtocol())
                && hasToken(Collections.list(request.getHeaders("Upgrade")), "websocket")
                && hasToken(Collections.list(request.getHeaders("Connection")), "upgrade");
    }

    /**
     * Takes a place among the route's open tunnels, or none when it has {@code maxTunnels} already. The place is
     * given back by running what is returned, once; {@link #open} does it when the tunnel ends, or at once when
     * there is none.
     */
    public Optional<Runnable> reserve(String routeId, int maxTunnels) {
        AtomicInteger open = openPerRoute.computeIfAbsent(routeId, id -> new AtomicInteger());
        if (open.incrementAndGet() > maxTunnels) {
            open.decrementAndGet();
            return Optional.empty();
        }
        AtomicBoolean given = new AtomicBoolean();
        return Optional.of(() -> {
            if (given.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        });
    }

    /**
     * Makes the handshake with the chosen backend (or the next ones, should it fail before anything was sent) and
     * answers the client: with the backend's 101, its connection then handed to a tunnel, or with whatever else the
     * backend answered. A failure is returned for the caller to answer.
     *
     * @param place the route's place for the tunnel ({@link #reserve}), given back when it ends or there is none
     */
    public Result open(HttpServletRequest request, HttpServletResponse response, BackendChoice first, Runnable place,
            RouteSettings route, String path, String requestId) throws IOException, ServletException {
        boolean tunnelled = false;
        try {
            BackendChoice choice = first;
            while (true) {
                Backend backend = choice.backend();
                if (!"http".equals(backend.scheme())) {
                    choice.ended(ForwardOutcome.TUNNEL_NEEDS_HTTP);
                    return failed(ForwardOutcome.TUNNEL_NEEDS_HTTP, backend);
                }
                ForwardOutcome failure = ForwardOutcome.FAILED_AFTER_COMMIT;
                SocketChannel channel = null;
                // Until the attempt is settled, an exception of any kind closes its connection and ends it.
                boolean settled = false;
                try {
                    channel = connect(backend, route.connectTimeout());
                    Exchange exchange = new Exchange(channel, route.responseTimeout());
                    ClassicHttpResponse head = exchange.send(requestHead(request, backend, route, path, requestId));
                    if (head.getCode() == HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
                        if (!hasToken(Arrays.stream(head.getHeaders("Upgrade")).map(Header::getValue).toList(),
                                "websocket")) {
                            throw new HandshakeFailure(ForwardOutcome.MALFORMED_RESPONSE);
                        }
                        ResponseHeaders.relay(head, choice, route, requestId, request, response);
                        response.setHeader("Upgrade", "websocket");
                        response.setHeader("Connection", "Upgrade");
                        byte[] early = exchange.buffered();
                        channel.configureBlocking(false);
                        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        Runnable release = choice.switchedProtocols();
                        settled = true;
                        Tunnel tunnel = new Tunnel(relay, channel, early, nanos(route.webSocket().idleTimeout()), () -> {
                            place.run();
                            release.run();
                        }, "WebSocket " + requestId + " to " + backend);
                        tunnelled = true;
                        try {
                            request.upgrade(TunnelHandler.class).attach(tunnel);
                        } catch (ServletException | RuntimeException e) {
                            tunnel.destroyed();
                            throw e;
                        }
                        return new Result(ForwardOutcome.COMPLETED, backend, HttpServletResponse.SC_SWITCHING_PROTOCOLS);
                    }
                    // Refused (or redirected, or asked to authenticate): the client gets the answer as it is.
                    InputStream body = exchange.body(head);
                    ResponseHeaders.relay(head, choice, route, requestId, request, response);
                    settled = true;
                    try {
                        if (body != null) {
                            body.transferTo(response.getOutputStream());
                        }
                    } finally {
                        closeQuietly(channel);
                        choice.ended(ForwardOutcome.COMPLETED);
                    }
                    return new Result(ForwardOutcome.COMPLETED, backend, head.getCode());
                } catch (HandshakeFailure e) {
                    failure = e.outcome;
                    LOG.fine(() -> "WebSocket handshake " + requestId + " with " + backend + ": " + e.outcome
                            + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
                } finally {
                    if (!settled) {
                        closeQuietly(channel);
                        choice.ended(failure);
                    }
                }
                Optional<BackendChoice> next = Replay.safe(failure, "GET", route.retryMethods(), false, false)
                        ? choice.retry(failure) : Optional.empty();
                if (next.isEmpty()) {
                    return failed(failure, backend);
                }
                choice = next.get();
            }
        } finally {
            if (!tunnelled) {
                place.run();
            }
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.fine(() -> "Closing a WebSocket handshake's connection: " + e);
        }
    }

    private static Result failed(ForwardOutcome outcome, Backend backend) {
        return new Result(outcome, backend, outcome.status());
    }

    private SocketChannel connect(Backend backend, Duration timeout) throws HandshakeFailure, IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            if (sourceAddress.isPresent()) {
                channel.bind(new InetSocketAddress(sourceAddress.get(), 0));
            }
            channel.socket().connect(new InetSocketAddress(backend.host(), backend.port()), millis(timeout));
            return channel;
        } catch (SocketTimeoutException e) {
            closeQuietly(channel);
            throw new HandshakeFailure(ForwardOutcome.CONNECT_TIMEOUT, e);
        } catch (IOException | RuntimeException e) {
            // RuntimeException: a host name that does not resolve.
            closeQuietly(channel);
            throw new HandshakeFailure(ForwardOutcome.CONNECT_REFUSED, e);
        }
    }

    /**
     * The handshake as the backend gets it: the client's end-to-end headers (its {@code Sec-WebSocket-*} among
     * them) and this hop's, as for any forwarded request, then the upgrade the client asked for.
     */
    private static byte[] requestHead(HttpServletRequest request, Backend backend, RouteSettings route, String path,
            String requestId) {
        BasicHttpRequest upstream = new BasicHttpRequest("GET",
                UpstreamTarget.of(backend.basePath(), path, request.getQueryString()));
        RequestHeaders.copy(request, upstream, route, requestId);
        String clientHost = request.getHeader("Host");
        String host = route.preserveHost() && clientHost != null ? clientHost : backend.authority();
        StringBuilder head = new StringBuilder(1024).append("GET ").append(upstream.getPath())
                .append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        for (Header header : upstream.getHeaders()) {
            head.append(header.getName()).append(": ").append(header.getValue()).append("\r\n");
        }
        head.append("Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The handshake's blocking exchange with the backend, each read within the route's response timeout. */
    private static final class Exchange {

        private final InputStream in;
        private final OutputStream out;
        private final SessionInputBufferImpl buffer = new SessionInputBufferImpl(HEAD_BUFFER, HEAD_BUFFER);

        Exchange(SocketChannel channel, Duration responseTimeout) throws IOException {
            channel.socket().setSoTimeout(millis(responseTimeout));
            this.in = channel.socket().getInputStream();
            this.out = channel.socket().getOutputStream();
        }

        ClassicHttpResponse send(byte[] requestHead) throws HandshakeFailure {
            try {
                out.write(requestHead);
                out.flush();
                ClassicHttpResponse head = new DefaultHttpResponseParser(HEAD_LIMITS).parse(buffer, in);
                if (head == null) {
                    throw new HandshakeFailure(ForwardOutcome.BACKEND_RESET);
                }
                return head;
            } catch (SocketTimeoutException e) {
                throw new HandshakeFailure(ForwardOutcome.RESPONSE_TIMEOUT, e);
            } catch (HttpException e) {
                throw new HandshakeFailure(ForwardOutcome.MALFORMED_RESPONSE, e);
            } catch (IOException e) {
                throw new HandshakeFailure(ForwardOutcome.BACKEND_RESET, e);
            }
        }

        /** What the backend sent after its 101's head: the first of its frames, for the client. */
        byte[] buffered() throws IOException {
            byte[] early = new byte[buffer.length()];
            int read = 0;
            while (read < early.length) {
                read += buffer.read(early, read, early.length - read, in);
            }
            return early;
        }

        /** The body of an answer other than 101, framed as its head says; null when it has none. */
        InputStream body(ClassicHttpResponse head) throws HandshakeFailure {
            if (head.getFirstHeader("Transfer-Encoding") != null) {
                return new ChunkedInputStream(buffer, in);
            }
            Header length = head.getFirstHeader("Content-Length");
            if (length != null) {
                try {
                    return new ContentLengthInputStream(buffer, in, Long.parseLong(length.getValue().strip()));
                } catch (NumberFormatException e) {
                    throw new HandshakeFailure(ForwardOutcome.MALFORMED_RESPONSE, e);
                }
            }
            int code = head.getCode();
            if (code < 200 || code == 204 || code == 304) {
                return null;
            }
            return new IdentityInputStream(buffer, in);
        }
    }

    private static final class HandshakeFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient ForwardOutcome outcome;

        HandshakeFailure(ForwardOutcome outcome) {
            super(outcome.name(), null, false, false);
            this.outcome = outcome;
        }

        HandshakeFailure(ForwardOutcome outcome, Throwable cause) {
            super(outcome.name(), cause, false, false);
            this.outcome = outcome;
        }
    }

    /** True when a comma-separated header has {@code token} among its values, in any case. */
    private static boolean hasToken(List<String> values, String token) {
        for (String header : values) {
            for (String value : header.split(",")) {
                if (value.strip().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int millis(Duration timeout) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    private static long nanos(Duration timeout) {
        return (timeout.compareTo(LONGEST) > 0 ? LONGEST : timeout).toNanos();
    }

    /** Ends every tunnel, each side told with a Close (1001, going away) where one can be sent. */
    @Override
    public void close() {
        relay.close();
    }
}
