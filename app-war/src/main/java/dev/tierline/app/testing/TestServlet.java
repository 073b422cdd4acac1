package dev.tierline.app.testing;

import dev.tierline.app.Json;
import dev.tierline.app.Problem;
import dev.tierline.app.RequestHeaders;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;

/** Serves {@code /api/test/{echo,bytes,json,delay,events,record,redirect,cookie}}. */
final class TestServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(TestServlet.class.getName());
    /** Echo returns the body itself only up to this size; beyond, only its length and digest. */
    static final int ECHO_BODY_LIMIT = 1024 * 1024;
    static final long MAX_BYTES = 64L * 1024 * 1024 * 1024;
    static final long MAX_DELAY_MS = 10 * 60 * 1000;
    static final long MAX_EVENTS = 100_000;
    private static final Object RECORD_LOCK = new Object();
    private static final Path RECORDED_POSTS = Path.of(
            System.getProperty("catalina.base", System.getProperty("java.io.tmpdir")), "logs", "recorded-posts.log");

    private final transient ScheduledExecutorService timer;
    private final transient Set<AsyncContext> pending;

    TestServlet(ScheduledExecutorService timer, Set<AsyncContext> pending) {
        this.timer = timer;
        this.pending = pending;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String endpoint = request.getPathInfo() == null ? "" : request.getPathInfo();
        switch (endpoint) {
            case "/echo" -> echo(request, response);
            case "/bytes" -> bytes(request, response);
            case "/json" -> json(request, response);
            case "/delay" -> delay(request, response);
            case "/events" -> events(request, response);
            case "/record" -> record(request, response);
            case "/redirect" -> redirect(request, response);
            case "/cookie" -> cookie(request, response);
            default -> Problem.write(request, response, HttpServletResponse.SC_NOT_FOUND, "Not Found",
                    "No test endpoint at " + request.getRequestURI());
        }
    }

    /** Any method: the request as received, with the body's length and SHA-256 (and the body when small). */
    private static void echo(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MessageDigest sha256 = sha256();
        long length = 0;
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = request.getInputStream()) {
            for (int n; (n = in.read(buffer)) != -1; ) {
                sha256.update(buffer, 0, n);
                if (length < ECHO_BODY_LIMIT) {
                    head.write(buffer, 0, (int) Math.min(n, ECHO_BODY_LIMIT - length));
                }
                length += n;
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("method", request.getMethod());
        body.put("path", request.getRequestURI());
        body.put("query", request.getQueryString());
        body.put("headers", RequestHeaders.of(request));
        body.put("bodyLength", length);
        body.put("bodySha256", HexFormat.of().formatHex(sha256.digest()));
        body.put("body", length <= ECHO_BODY_LIMIT ? head.toString(StandardCharsets.UTF_8) : null);
        Json.write(response, HttpServletResponse.SC_OK, body);
    }

    /**
     * {@code ?n=N[&chunked=true[&trailer=V]]}: N bytes where byte i is {@code i % 251}, streamed with a
     * Content-Length or, when chunked, without one, and then ending with the trailer field X-Checksum: V.
     */
    private static void bytes(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long n = longParameter(request, response, "n", 0, MAX_BYTES);
        if (n < 0) {
            return;
        }
        response.setContentType("application/octet-stream");
        if (!Boolean.parseBoolean(request.getParameter("chunked"))) {
            response.setContentLengthLong(n);
        } else if (request.getParameter("trailer") != null) {
            // Ends the chunked body with the trailer field X-Checksum: its value.
            String trailer = request.getParameter("trailer");
            try {
                response.setTrailerFields(() -> Map.of("x-checksum", trailer));
            } catch (IllegalStateException e) {
                // A client that takes no trailers (HTTP/1.0).
            }
        }
        byte[] pattern = new byte[251 * 64];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i % 251);
        }
        OutputStream out = response.getOutputStream();
        for (long written = 0; written < n; ) {
            int chunk = (int) Math.min(pattern.length, n - written);
            out.write(pattern, 0, chunk);
            written += chunk;
        }
    }

    /**
     * {@code ?n=N[&gzip=true]}: a JSON document of exactly N bytes (at least 12), the benchmark's payload; with
     * gzip, sent gzipped with {@code Content-Encoding: gzip}.
     */
    private static void json(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long n = longParameter(request, response, "n", 12, 16 * 1024 * 1024);
        if (n < 0) {
            return;
        }
        byte[] body = new byte[(int) n];
        byte[] head = "{\"pad\":\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, body, 0, head.length);
        java.util.Arrays.fill(body, head.length, body.length - 2, (byte) 'x');
        body[body.length - 2] = '"';
        body[body.length - 1] = '}';
        response.setContentType("application/json");
        if ("true".equals(request.getParameter("gzip"))) {
            // Encoded here, as an app that compresses its own answers does: nothing after it may do it again.
            ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
                gzip.write(body);
            }
            body = gzipped.toByteArray();
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** {@code ?ms=N}: answers after N milliseconds without holding a request thread meanwhile. */
    private void delay(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long ms = longParameter(request, response, "ms", 0, MAX_DELAY_MS);
        if (ms < 0) {
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(ms + 60_000);
        pending.add(async);
        timer.schedule(() -> {
            if (!pending.remove(async)) {
                return;
            }
            try {
                Json.write((HttpServletResponse) async.getResponse(), HttpServletResponse.SC_OK, Map.of("delayedMs", ms));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "Delayed answer not delivered", e);
            } finally {
                async.complete();
            }
        }, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * {@code ?n=N&intervalMs=M}: a server-sent event stream of N events, one every M milliseconds, each
     * flushed at once. An event's data is the wall-clock time it was written, in microseconds since the
     * epoch, so a client on the same machine can tell how long it took to arrive.
     */
    private void events(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long count = longParameter(request, response, "n", 1, MAX_EVENTS);
        if (count < 0) {
            return;
        }
        long interval = longParameter(request, response, "intervalMs", 1, MAX_DELAY_MS);
        if (interval < 0) {
            return;
        }
        response.setContentType("text/event-stream");
        response.setHeader("Cache-Control", "no-store");
        response.flushBuffer();
        AsyncContext async = request.startAsync();
        async.setTimeout(count * interval + 60_000);
        pending.add(async);
        new EventTicks(async, count, interval).next();
    }

    /** Writes one event per tick, each tick scheduling the next, until the last or the client is gone. */
    private final class EventTicks implements Runnable {

        private final AsyncContext async;
        private final long count;
        private final long interval;
        private long sent;

        EventTicks(AsyncContext async, long count, long interval) {
            this.async = async;
            this.count = count;
            this.interval = interval;
        }

        void next() {
            timer.schedule(this, interval, TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            if (!pending.contains(async)) {
                return;
            }
            sent++;
            boolean last = sent >= count;
            try {
                Instant now = Instant.now();
                long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
                ServletOutputStream out = async.getResponse().getOutputStream();
                out.write(("id: " + sent + "\ndata: " + micros + "\n\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "Event stream ended by the client", e);
                last = true;
            }
            if (!last) {
                next();
            } else if (pending.remove(async)) {
                async.complete();
            }
        }
    }

    /**
     * POST {@code ?token=T}: appends T to {@code logs/recorded-posts.log} under the instance's CATALINA_BASE
     * before answering 201, so a test can count which POSTs ran where, even on an instance since killed.
     */
    private static void record(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String token = request.getParameter("token");
        if (!request.getMethod().equals("POST") || token == null || !token.matches("[A-Za-z0-9-]{1,64}")) {
            Problem.write(request, response, HttpServletResponse.SC_BAD_REQUEST, "Bad Request",
                    "POST with a 'token' of 1 to 64 letters, digits and dashes");
            return;
        }
        synchronized (RECORD_LOCK) {
            Files.writeString(RECORDED_POSTS, token + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        Json.write(response, HttpServletResponse.SC_CREATED, Map.of("token", token));
    }

    /** {@code ?to=PATH}: 302 to the absolute URL of PATH on this app, as the app sees its own address. */
    private static void redirect(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String to = request.getParameter("to");
        if (to == null || !to.startsWith("/") || to.startsWith("//") || to.contains("\\")) {
            Problem.write(request, response, HttpServletResponse.SC_BAD_REQUEST, "Bad Request",
                    "'to' must be a path on this app, starting with a single '/'");
            return;
        }
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String location = scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port)
                + request.getContextPath() + to;
        response.setHeader("Location", location);
        Json.write(response, HttpServletResponse.SC_FOUND, Map.of("location", location));
    }

    /** {@code ?name=N&value=V[&path=P]}: sets a cookie. */
    private static void cookie(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("name");
        String value = request.getParameter("value");
        String path = request.getParameter("path");
        Cookie cookie;
        try {
            cookie = new Cookie(name == null ? "" : name, value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            Problem.write(request, response, HttpServletResponse.SC_BAD_REQUEST, "Bad Request",
                    "'name' must be a cookie name token");
            return;
        }
        if (path != null) {
            cookie.setPath(path);
        }
        response.addCookie(cookie);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", cookie.getName());
        body.put("value", cookie.getValue());
        body.put("path", cookie.getPath());
        Json.write(response, HttpServletResponse.SC_OK, body);
    }

    /** A whole-number parameter within bounds; answers 400 itself and returns -1 when it is not one. */
    private static long longParameter(HttpServletRequest request, HttpServletResponse response, String name,
            long min, long max) throws IOException {
        String raw = request.getParameter(name);
        try {
            long value = Long.parseLong(raw == null ? "" : raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        Problem.write(request, response, HttpServletResponse.SC_BAD_REQUEST, "Bad Request",
                "'" + name + "' must be a whole number from " + min + " to " + max);
        return -1;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
