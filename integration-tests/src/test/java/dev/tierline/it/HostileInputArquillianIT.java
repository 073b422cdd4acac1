package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Input an attacker would send the web tier, over raw sockets, with a recording backend behind it that shows
 * exactly what arrives: for each case the client's status, and what the backend got (usually nothing).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HostileInputArquillianIT {

    /** Long enough for any answer here; a proxy that leaves the client waiting fails on it instead of hanging. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What the recording backend saw, in order: each request head, and "closed" when a connection ended. */
    private static final BlockingQueue<String> RECORDED = new LinkedBlockingQueue<>();

    /** Takes a request's head, then reads its body until the proxy ends the connection, and never answers. */
    private static final FakeBackend RECORDER = FakeBackend.start((socket, in, out) -> {
        RECORDED.add(FakeBackend.readHead(in));
        try {
            while (in.read() != -1) {
                // the body, as far as the proxy sends it
            }
        } finally {
            RECORDED.add("closed");
        }
    });

    /**
     * What the answering backend read, a line per request: its request line and its body's length, by the
     * framing the proxy gave it. A request smuggled inside another's body would show as one more line.
     */
    private static final BlockingQueue<String> ANSWERED = new LinkedBlockingQueue<>();

    /** Reads each request on a connection by its framing, notes it, and answers 200; keeps the connection. */
    private static final FakeBackend ANSWERING = FakeBackend.start((socket, in, out) -> {
        while (true) {
            String head;
            try {
                head = FakeBackend.readHead(in);
            } catch (IOException e) {
                return;
            }
            FakeBackend.Body body = FakeBackend.readBody(head, in, () -> { });
            ANSWERED.add(head.substring(0, head.indexOf("\r\n")) + " body=" + body.bytes() + (body.whole() ? "" : " cut"));
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    });

    /** Frames its response both ways at once, then keeps the connection open, as a smuggling backend would. */
    private static final FakeBackend BOTH_LENGTHS = FakeBackend.start((socket, in, out) -> {
        FakeBackend.readHead(in);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(15_000);
    });

    @AfterAll
    static void stopBackends() throws IOException {
        RECORDER.close();
        ANSWERING.close();
        BOTH_LENGTHS.close();
    }

    @BeforeEach
    void forgetRecorded() {
        RECORDED.clear();
        ANSWERED.clear();
    }

    @Deployment(name = "app", testable = false, order = 1)
    static WebArchive app() {
        return Deployments.app("app");
    }

    @Deployment(name = "hostile", testable = false, order = 2)
    static WebArchive proxy() {
        return Deployments.proxy("hostile", Deployments.appUrl(), "PT5S");
    }

    @Deployment(name = "recorder", testable = false, order = 3)
    static WebArchive recorder() {
        return Deployments.proxy("recorder", RECORDER.url(), "PT30S");
    }

    @Deployment(name = "bothlengths", testable = false, order = 4)
    static WebArchive bothLengths() {
        return Deployments.proxy("bothlengths", BOTH_LENGTHS.url(), "PT30S");
    }

    @Deployment(name = "hostiledrop", testable = false, order = 5)
    static WebArchive drop() {
        return Deployments.proxy("hostiledrop", Map.of("tierline.backends", Deployments.appUrl(),
                "tierline.forwarded", "drop"));
    }

    @Deployment(name = "hostileappend", testable = false, order = 6)
    static WebArchive append() {
        return Deployments.proxy("hostileappend", Map.of("tierline.backends", Deployments.appUrl(),
                "tierline.forwarded", "append", "tierline.trustedProxies", "127.0.0.4"));
    }

    @Deployment(name = "answering", testable = false, order = 8)
    static WebArchive answering() {
        return Deployments.proxy("answering", ANSWERING.url(), "PT5S");
    }

    @Deployment(name = "perclient", testable = false, order = 7)
    static WebArchive perClient() {
        return Deployments.proxy("perclient", Map.of("tierline.backends", RECORDER.url(),
                "tierline.responseTimeout", "PT2S", "tierline.maxRequestsPerClient", "1"));
    }

    /** A body must come at 100 bytes a second or more, after a second of grace. */
    private static final Map<String, String> BODY_PACE = Map.of("tierline.clientBodyTimeout", "1000",
            "tierline.clientMinBodyRate", "100");

    @Deployment(name = "slowbody", testable = false, order = 9)
    static WebArchive slowBody() {
        Map<String, String> parameters = new HashMap<>(BODY_PACE);
        parameters.put("tierline.backends", RECORDER.url());
        return Deployments.proxy("slowbody", parameters);
    }

    @Deployment(name = "steadybody", testable = false, order = 10)
    static WebArchive steadyBody() {
        Map<String, String> parameters = new HashMap<>(BODY_PACE);
        parameters.put("tierline.backends", ANSWERING.url());
        return Deployments.proxy("steadybody", parameters);
    }

    private static String host() {
        return "Host: 127.0.0.1:" + Deployments.httpPort() + "\r\n";
    }

    private static RawHttp.Response send(String localAddress, String request) throws IOException {
        return RawHttp.exchange(localAddress, "127.0.0.1", Deployments.httpPort(), request, TIMEOUT);
    }

    private static RawHttp.Response get(String localAddress, String path, String... headers) throws IOException {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n" + host());
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return send(localAddress, request.append("Connection: close\r\n\r\n").toString());
    }

    // Request bodies whose chunked framing is broken: the container refuses to read on. The client must get
    // 400 at once on a connection then closed, and the backend's request must be cut off, not left waiting
    // for the rest of a body that will never come.

    @ParameterizedTest
    @ValueSource(strings = {
        "0x5\r\nhello\r\n0\r\n\r\n",
        "+5\r\nhello\r\n0\r\n\r\n",
        "5zz\r\nhello\r\n0\r\n\r\n",
        "10000000000000000\r\nhello\r\n0\r\n\r\n",
        "5;a\rb\r\nhello\r\n0\r\n\r\n",
        "5\nhello\n0\n\n",
        "5\r\nhelloXX0\r\n\r\n",
    })
    void malformedChunkedBody_gets400AtOnce_andBothConnectionsAreClosed(String body) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", Deployments.httpPort()), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            // The head first, so the backend is already waiting for the body when its framing breaks.
            socket.getOutputStream().write(("POST /recorder/upload HTTP/1.1\r\n" + host()
                    + "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String head = nextHead(TIMEOUT.toMillis());
            assertTrue(head != null && head.startsWith("POST /upload HTTP/1.1"), "the backend got: " + head);
            socket.getOutputStream().write(body.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();

            InputStream in = new BufferedInputStream(socket.getInputStream());
            // Tomcat drops the connection without its 400 when it finds the framing broken while reading ahead
            // on a thread of its own (a few cases in a hundred here): still an answer at once. Otherwise it
            // commits a 400 of its own as it finds the framing broken.
            Optional<RawHttp.Response> answer = RawHttp.readUnlessClosed(in);
            if (answer.isPresent()) {
                RawHttp.Response response = answer.get();
                assertEquals(400, response.status(), response.text());
                assertEquals("close", response.header("connection"));
                assertEquals(-1, in.read(), "the client's connection is closed after the 400");
            }
        }
        assertEquals("closed", RECORDED.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                "the upstream request is cut off and its connection closed");
    }

    // Request smuggling and malformed heads: each answered by the container before the proxy sees it, or
    // forwarded as exactly one well-formed request. A second request hidden in a body never reaches the backend:
    // with both Content-Length and Transfer-Encoding, Tomcat frames the request by Transfer-Encoding alone, drops
    // the Content-Length and closes the connection after answering (RFC 9112 6.1), so what follows is never read.

    private static final String SMUGGLED = "GET /answering/smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    static Stream<Arguments> malformedHeads() {
        String post = "POST /answering/in HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        return Stream.of(
                Arguments.of("Content-Length and Transfer-Encoding",
                        post + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED, 200,
                        List.of("POST /in HTTP/1.1 body=0")),
                Arguments.of("Transfer-Encoding and Content-Length",
                        post + "Transfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n" + SMUGGLED, 200,
                        List.of("POST /in HTTP/1.1 body=0")),
                Arguments.of("two different Content-Lengths",
                        post + "Content-Length: 4\r\nContent-Length: 40\r\n\r\nabcd" + SMUGGLED, 400, List.of()),
                Arguments.of("a Content-Length that is not a number",
                        post + "Content-Length: 4x\r\n\r\nabcd", 400, List.of()),
                Arguments.of("a signed Content-Length",
                        post + "Content-Length: +4\r\n\r\nabcd", 400, List.of()),
                Arguments.of("an unknown transfer coding",
                        post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + SMUGGLED, 501, List.of()),
                Arguments.of("chunked not last",
                        post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" + SMUGGLED, 400, List.of()),
                Arguments.of("white space before the colon",
                        post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n" + SMUGGLED, 400, List.of()),
                Arguments.of("a NUL in a header value",
                        "GET /answering/x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\u0000b\r\n\r\n", 400, List.of()),
                Arguments.of("a bare CR in a header value",
                        "GET /answering/x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\rb\r\n\r\n", 400, List.of()),
                // RFC 9112 5.2: replaced by a space and forwarded as one line.
                Arguments.of("a folded header line",
                        "GET /answering/x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-A: a\r\n b\r\n\r\n", 200,
                        List.of("GET /x HTTP/1.1 body=0")),
                Arguments.of("two Host headers",
                        "GET /answering/x HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n", 400, List.of()),
                Arguments.of("an absolute-form target for another host",
                        "GET http://evil.example/answering/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedHeads")
    void aMalformedOrAmbiguousRequest_isRefused_orForwardedAsOneWellFormedRequest(String name, String request,
            int status, List<String> forwarded) throws Exception {
        RawHttp.Response response = send("127.0.0.1", request);

        assertEquals(status, response.status(), name + ": " + response.text());
        List<String> seen = new ArrayList<>();
        for (String line = ANSWERED.poll(300, TimeUnit.MILLISECONDS); line != null;
                line = ANSWERED.poll(300, TimeUnit.MILLISECONDS)) {
            seen.add(line);
        }
        assertEquals(forwarded, seen, name + ": what the backend received");
    }

    @Test
    void aChunkedRequest_reachesTheBackendAsOneWellFormedRequest_withNothingAfterIt() throws Exception {
        RawHttp.Response response = send("127.0.0.1", "POST /answering/whole HTTP/1.1\r\n" + host()
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n4\r\nabcd\r\n0\r\n\r\n");

        assertEquals(200, response.status(), response.text());
        assertEquals("POST /whole HTTP/1.1 body=4", ANSWERED.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertNull(ANSWERED.poll(300, TimeUnit.MILLISECONDS), "nothing after it");
    }

    // Identity headers: a client's claim of an address the proxy names itself.

    private static final List<String> IDENTITY_HEADERS = List.of("True-Client-IP", "X-Client-IP",
            "CF-Connecting-IP", "Fastly-Client-IP", "X-Cluster-Client-IP", "Client-IP", "X-Originating-IP");

    private static String[] spoofed() {
        return Stream.concat(Stream.of("X-Real-IP: 6.6.6.6"),
                IDENTITY_HEADERS.stream().map(name -> name + ": 6.6.6.6")).toArray(String[]::new);
    }

    @Test
    void clientIdentityHeaders_areReplacedBySet_andNoneReachTheAppFromAnUntrustedClient() throws Exception {
        JsonNode echo = Echo.json(get("127.0.0.3", "/hostile/api/test/echo", spoofed()));

        assertEquals("127.0.0.3", Echo.header(echo, "x-real-ip"));
        for (String name : IDENTITY_HEADERS) {
            assertNull(Echo.header(echo, name.toLowerCase(Locale.ROOT)), name);
        }
    }

    @Test
    void headersThisHopSets_cannotBeStrippedByNamingThemInConnection() throws Exception {
        JsonNode echo = Echo.json(get("127.0.0.3", "/hostile/api/test/echo",
                "Connection: X-Forwarded-For, X-Real-IP, X-Request-Id, Forwarded, Via, Host"));

        assertEquals("127.0.0.3", Echo.header(echo, "x-forwarded-for"));
        assertEquals("127.0.0.3", Echo.header(echo, "x-real-ip"));
        assertTrue(Echo.header(echo, "forwarded").startsWith("for=127.0.0.3;"), Echo.header(echo, "forwarded"));
        assertEquals("1.1 tierline", Echo.header(echo, "via"));
        assertTrue(Echo.header(echo, "x-request-id") != null);
        assertEquals("127.0.0.1:" + Deployments.httpPort(), Echo.header(echo, "host"));
        assertNull(Echo.header(echo, "connection"));
    }

    @Test
    void clientIdentityHeaders_areAllDroppedByDrop() throws Exception {
        JsonNode echo = Echo.json(get("127.0.0.3", "/hostiledrop/api/test/echo", spoofed()));

        assertNull(Echo.header(echo, "x-real-ip"));
        for (String name : IDENTITY_HEADERS) {
            assertNull(Echo.header(echo, name.toLowerCase(Locale.ROOT)), name);
        }
    }

    @Test
    void clientIdentityHeaders_passOnlyFromTheTrustedBalancer_underAppend() throws Exception {
        JsonNode trusted = Echo.json(get("127.0.0.4", "/hostileappend/api/test/echo", spoofed()));
        assertEquals("6.6.6.6", Echo.header(trusted, "x-real-ip"));
        assertEquals("6.6.6.6", Echo.header(trusted, "true-client-ip"));

        JsonNode untrusted = Echo.json(get("127.0.0.3", "/hostileappend/api/test/echo", spoofed()));
        assertEquals("127.0.0.3", Echo.header(untrusted, "x-real-ip"));
        assertNull(Echo.header(untrusted, "true-client-ip"));
    }

    // Path tricks.

    @ParameterizedTest
    @ValueSource(strings = {"/recorder/a/..%3B/b", "/recorder/a/..%3bx/b", "/recorder/..%3B/b", "/recorder/a/.%3B/b",
        "/recorder/a/..%3B"})
    void aDotSegmentWithAPathParameter_isRefused_andNothingReachesTheBackend(String path) throws Exception {
        RawHttp.Response response = get("127.0.0.1", path);

        assertEquals(400, response.status(), response.text());
        assertEquals("application/problem+json", response.header("content-type"));
        assertNull(nextHead(200), "nothing reaches the backend");
    }

    static Stream<Arguments> pathTricks() {
        return Stream.of(
                // Decoded and normalised by the container within the route: the backend gets the plain path.
                Arguments.of("/answering/a/%2e%2e/b", 200, "GET /b HTTP/1.1 body=0"),
                // Decoded once: what is left is literal, and goes upstream encoded again.
                Arguments.of("/answering/%252e%252e/b", 200,
                        "GET /%252e%252e/b HTTP/1.1 body=0"),
                Arguments.of("/answering/a%2Fb", 400, null),
                Arguments.of("/answering/a\\b", 400, null),
                Arguments.of("/answering/a%00b", 400, null),
                Arguments.of("/answering/a/%c0%ae%c0%ae/b", 400, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathTricks")
    void pathTricks_areRefused_orReachTheBackendWithinTheRoute(String path, int status, String forwarded)
            throws Exception {
        RawHttp.Response response = get("127.0.0.1", path);

        assertEquals(status, response.status(), path + ": " + response.text());
        assertEquals(forwarded, ANSWERED.poll(forwarded == null ? 300 : TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                path + ": what the backend received");
        assertNull(ANSWERED.poll(200, TimeUnit.MILLISECONDS), path + ": nothing more");
    }

    @Test
    void segmentsWithDotsAndAParameter_thatAreNotDotSegments_areStillForwarded() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", Deployments.httpPort()), (int) TIMEOUT.toMillis());
            socket.getOutputStream().write(("GET /recorder/a..%3Bb/x.%3By/...%3B HTTP/1.1\r\n" + host()
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();

            String head = nextHead(TIMEOUT.toMillis());
            assertTrue(head != null && head.startsWith("GET /a..%3Bb/x.%3By/...%3B HTTP/1.1"), "the backend got: " + head);
        }
    }

    // A client that holds requests open: one address may not take every connection to the backends.

    /** The next request head the recorder saw within {@code millis}, skipping ended connections; null for none. */
    private static String nextHead(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left = millis; left > 0; left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
            String seen = RECORDED.poll(left, TimeUnit.MILLISECONDS);
            if (seen == null || !seen.equals("closed")) {
                return seen;
            }
        }
        return null;
    }

    private static Socket hold(String localAddress, String path) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", Deployments.httpPort()), (int) TIMEOUT.toMillis());
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\n" + host() + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return socket;
    }

    @Test
    void aClientWithAsManyRequestsInFlightAsAllowed_gets429_whileOthersAreServed() throws Exception {
        try (Socket held = hold("127.0.0.5", "/perclient/held")) {
            assertTrue(String.valueOf(nextHead(TIMEOUT.toMillis())).startsWith("GET /held "));

            RawHttp.Response refused = get("127.0.0.5", "/perclient/second");
            assertEquals(429, refused.status(), refused.text());
            assertEquals("1", refused.header("retry-after"));
            assertEquals("application/problem+json", refused.header("content-type"));
            assertNull(nextHead(200), "the refused request does not reach the backend");

            try (Socket other = hold("127.0.0.6", "/perclient/other")) {
                assertTrue(String.valueOf(nextHead(TIMEOUT.toMillis())).startsWith("GET /other "),
                        "another client is served meanwhile");
            }
            // The held request ends at the route's response timeout; its place is then free again.
            assertEquals(504, RawHttp.read(new BufferedInputStream(held.getInputStream())).status());
        }
        String again = null;
        for (int attempt = 0; attempt < 20 && again == null; attempt++) {
            try (Socket third = hold("127.0.0.5", "/perclient/third")) {
                again = nextHead(250);
            }
        }
        assertTrue(String.valueOf(again).startsWith("GET /third "), "the client is served again: " + again);
    }

    // Slow bodies (slowhttptest -B, R.U.D.Y.): a client that holds its request open by trickling its body gets
    // 408 and its upstream request is cut off, while a client that is slow but steady is served.

    @Test
    void aClientTricklingItsBody_gets408_andItsUpstreamRequestIsCutOff() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", Deployments.httpPort()), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(("POST /slowbody/upload HTTP/1.1\r\n" + host()
                    + "Content-Type: text/plain\r\nContent-Length: 100000\r\n\r\n0123456789")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            assertTrue(String.valueOf(nextHead(TIMEOUT.toMillis())).startsWith("POST /upload "),
                    "the upstream request has begun");
            long began = System.nanoTime();
            // Then a byte now and then, far slower than 100 a second, until the proxy gives up (bounded).
            InputStream in = new BufferedInputStream(socket.getInputStream());
            socket.setSoTimeout(400);
            RawHttp.Response response = null;
            for (int i = 0; i < 25 && response == null; i++) {
                try {
                    socket.getOutputStream().write('x');
                    socket.getOutputStream().flush();
                    response = RawHttp.read(in);
                } catch (SocketTimeoutException e) {
                    // no answer yet: another byte
                }
            }
            assertTrue(response != null, "the trickling client got no answer within ten seconds");
            assertEquals(408, response.status(), response.text());
            assertEquals("application/problem+json", response.header("content-type"));
            assertEquals("close", response.header("connection"));
            assertTrue(System.nanoTime() - began >= Duration.ofSeconds(1).toNanos(), "not before its second of grace");
        }
        assertEquals("closed", RECORDED.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                "the upstream request is cut off and its connection closed");
    }

    @Test
    void aClientSendingItsBodySlowlyButSteadily_isServed() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", Deployments.httpPort()), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(("POST /steadybody/in HTTP/1.1\r\n" + host()
                    + "Content-Type: text/plain\r\nContent-Length: 600\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            // 60 bytes every 200 ms: 300 a second for two seconds, longer than the second of grace alone.
            for (int i = 0; i < 10; i++) {
                socket.getOutputStream().write("x".repeat(60).getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                Thread.sleep(200);
            }
            RawHttp.Response response = RawHttp.read(new BufferedInputStream(socket.getInputStream()));
            assertEquals(200, response.status(), response.text());
        }
        assertEquals("POST /in HTTP/1.1 body=600", ANSWERED.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }

    // Backend faults that would reach the client as a trap.

    @Test
    void aBackendResponseWithBothContentLengthAndTransferEncoding_gets502_beforeAnythingIsRelayed() throws Exception {
        RawHttp.Response response;
        try {
            response = get("127.0.0.1", "/bothlengths/x");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the client was left waiting on a response it cannot frame", e);
        }

        assertEquals(502, response.status(), response.text());
        assertEquals("application/problem+json", response.header("content-type"));
    }
}
