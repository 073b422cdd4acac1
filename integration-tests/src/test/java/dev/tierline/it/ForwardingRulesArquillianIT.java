package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The forwarding rules, each shown over raw sockets against proxy-war in a container: protocol details a
 * client library would smooth over, and backends that fail in every way the failure table names.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForwardingRulesArquillianIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final CountDownLatch SECOND_EVENT = new CountDownLatch(1);
    private static final CountDownLatch ENDLESS_STREAM_CLOSED = new CountDownLatch(1);

    private static final FakeBackend GARBAGE = FakeBackend.start((socket, in, out) -> {
        FakeBackend.readHead(in);
        out.write("THIS IS NOT HTTP\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    });
    private static final FakeBackend RESET = FakeBackend.start((socket, in, out) -> {
        FakeBackend.readHead(in);
        socket.setSoLinger(true, 0);
    });
    /** Takes the request and never answers. */
    private static final FakeBackend SILENT = FakeBackend.start((socket, in, out) -> {
        FakeBackend.readHead(in);
        Thread.sleep(10_000);
    });
    /** Takes the request and closes the connection cleanly, without a response. */
    private static final FakeBackend CLOSES = FakeBackend.start((socket, in, out) -> FakeBackend.readHead(in));
    private static final FakeBackend PARTIAL = FakeBackend.start((socket, in, out) -> {
        FakeBackend.readHead(in);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[50_000]);
        out.flush();
        Thread.sleep(300);
    });
    /** Sends its head and part of its body, then nothing more, holding the connection open. */
    private static final FakeBackend STALLS = FakeBackend.start((socket, in, out) -> {
        FakeBackend.readHead(in);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[10]);
        out.flush();
        Thread.sleep(15_000);
    });
    /** Sends its head and part of its body, then resets the connection (RST, not FIN). */
    private static final FakeBackend RESETS_MID_BODY = FakeBackend.start((socket, in, out) -> {
        FakeBackend.readHead(in);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[1000]);
        out.flush();
        Thread.sleep(200);
        socket.setSoLinger(true, 0);
    });
    /** A body trickled steadily: a byte every 100 ms, each well within the response timeout between reads. */
    private static final FakeBackend TRICKLES = FakeBackend.start((socket, in, out) -> {
        FakeBackend.readHead(in);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 20\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 20; i++) {
            out.write('a' + i);
            out.flush();
            Thread.sleep(100);
        }
    });
    /** A certificate for 127.0.0.1 that no public CA signed, and a trust store of it alone. */
    private static final TestCertificates CERTIFICATES = TestCertificates.make(
            Path.of(System.getProperty("tierline.it.dir"), "upstream-tls"), "upstream");
    /** Answers over TLS, with that certificate. */
    private static final FakeBackend TLS = FakeBackend.startTls(CERTIFICATES.serverContext(), (socket, in, out) -> {
        FakeBackend.readHead(in);
        out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n\r\nover tls"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(1000);
    });
    /** A chunked body that ends with trailer fields, one of them one a trailer must not carry. */
    private static final FakeBackend TRAILERS = FakeBackend.start((socket, in, out) -> {
        FakeBackend.readHead(in);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5\r\nhello\r\n0\r\nX-Checksum: abc\r\nSet-Cookie: planted=1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    });
    private static final FakeBackend SSE = FakeBackend.start((socket, in, out) -> {
        FakeBackend.readHead(in);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(chunk("data: one\n\n"));
        out.flush();
        // The second event waits until the client has the first: a proxy that buffers never gets here.
        if (SECOND_EVENT.await(20, TimeUnit.SECONDS)) {
            out.write(chunk("data: two\n\n"));
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    });
    private static final FakeBackend ENDLESS = FakeBackend.start((socket, in, out) -> {
        FakeBackend.readHead(in);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] block = chunk("x".repeat(8192));
        try {
            for (int i = 0; i < 100_000; i++) {
                out.write(block);
                out.flush();
                Thread.sleep(5);
            }
        } catch (IOException e) {
            ENDLESS_STREAM_CLOSED.countDown();
        }
    });
    private static final java.util.concurrent.atomic.AtomicInteger CHALLENGES = new java.util.concurrent.atomic.AtomicInteger();
    /** Asks for credentials, as an app behind the proxy may; counts the requests that reach it. */
    private static final FakeBackend CHALLENGE = FakeBackend.start((socket, in, out) -> {
        FakeBackend.readHead(in);
        CHALLENGES.incrementAndGet();
        out.write(("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"app\"\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    });
    private static final List<Socket> BLACKHOLE_FILLERS = new ArrayList<>();
    /** Accepts nothing, with a full accept queue, so a connection attempt hangs until its timeout. */
    private static final ServerSocket BLACKHOLE = blackhole();

    @AfterAll
    static void stopBackends() throws IOException {
        for (AutoCloseable backend : List.of(GARBAGE, RESET, SILENT, CLOSES, PARTIAL, SSE, ENDLESS, CHALLENGE, STALLS,
                RESETS_MID_BODY, TRICKLES, TLS, TRAILERS)) {
            try {
                backend.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        for (Socket filler : BLACKHOLE_FILLERS) {
            filler.close();
        }
        BLACKHOLE.close();
    }

    @Deployment(name = "app", testable = false, order = 1)
    static WebArchive app() {
        return Deployments.app("app");
    }

    @Deployment(name = "proxy", testable = false, order = 2)
    static WebArchive proxy() {
        return Deployments.proxy("proxy", Deployments.appUrl(), "PT5S");
    }

    @Deployment(name = "challenge", testable = false, order = 12)
    static WebArchive challenge() {
        return Deployments.proxy("challenge", CHALLENGE.url(), "PT5S");
    }

    @Deployment(name = "garbage", testable = false, order = 3)
    static WebArchive garbage() {
        return Deployments.proxy("garbage", GARBAGE.url(), "PT5S");
    }

    @Deployment(name = "reset", testable = false, order = 4)
    static WebArchive reset() {
        return Deployments.proxy("reset", RESET.url(), "PT5S");
    }

    @Deployment(name = "silent", testable = false, order = 13)
    static WebArchive silent() {
        return Deployments.proxy("silent", SILENT.url(), "PT1S");
    }

    @Deployment(name = "closes", testable = false, order = 14)
    static WebArchive closes() {
        return Deployments.proxy("closes", CLOSES.url(), "PT5S");
    }

    @Deployment(name = "stalls", testable = false, order = 15)
    static WebArchive stalls() {
        return Deployments.proxy("stalls", STALLS.url(), "PT1S");
    }

    @Deployment(name = "resetsmidbody", testable = false, order = 16)
    static WebArchive resetsMidBody() {
        return Deployments.proxy("resetsmidbody", RESETS_MID_BODY.url(), "PT5S");
    }

    @Deployment(name = "trickles", testable = false, order = 17)
    static WebArchive trickles() {
        return Deployments.proxy("trickles", TRICKLES.url(), "PT1S");
    }

    @Deployment(name = "tlstrusted", testable = false, order = 18)
    static WebArchive tlsTrusted() {
        return Deployments.proxy("tlstrusted", Map.of("tierline.backends", TLS.url(),
                "tierline.upstreamTrustStore", CERTIFICATES.trustStore().toString(),
                "tierline.upstreamTrustStorePasswordFile", CERTIFICATES.passwordFile().toString()));
    }

    @Deployment(name = "tlsuntrusted", testable = false, order = 19)
    static WebArchive tlsUntrusted() {
        return Deployments.proxy("tlsuntrusted", Map.of("tierline.backends", TLS.url()));
    }

    @Deployment(name = "trailers", testable = false, order = 20)
    static WebArchive trailers() {
        return Deployments.proxy("trailers", TRAILERS.url(), "PT5S");
    }

    @Deployment(name = "partial", testable = false, order = 5)
    static WebArchive partial() {
        return Deployments.proxy("partial", PARTIAL.url(), "PT5S");
    }

    @Deployment(name = "sse", testable = false, order = 6)
    static WebArchive sse() {
        return Deployments.proxy("sse", SSE.url(), "PT30S");
    }

    @Deployment(name = "endless", testable = false, order = 7)
    static WebArchive endless() {
        // The response timeout bounds the case where the container does not report the client's
        // departure (seen about once in six runs): the stalled upstream exchange then times out.
        return Deployments.proxy("endless", ENDLESS.url(), "PT5S");
    }

    @Deployment(name = "blackhole", testable = false, order = 8)
    static WebArchive blackholeProxy() {
        return Deployments.proxy("blackhole", Map.of("tierline.backends", "http://127.0.0.1:" + BLACKHOLE.getLocalPort(),
                "tierline.connectTimeout", "PT1S"));
    }

    @Deployment(name = "append", testable = false, order = 9)
    static WebArchive append() {
        return Deployments.proxy("append", Map.of("tierline.backends", Deployments.appUrl(),
                "tierline.forwarded", "append", "tierline.trustedProxies", "127.0.0.4"));
    }

    @Deployment(name = "drop", testable = false, order = 10)
    static WebArchive drop() {
        return Deployments.proxy("drop", Map.of("tierline.backends", Deployments.appUrl(), "tierline.forwarded", "drop"));
    }

    @Deployment(name = "preserve", testable = false, order = 11)
    static WebArchive preserve() {
        return Deployments.proxy("preserve", Map.of("tierline.backends", Deployments.appUrl(),
                "tierline.preserveHost", "true"));
    }

    private static byte[] chunk(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.US_ASCII);
        return (Integer.toHexString(bytes.length) + "\r\n" + data + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static ServerSocket blackhole() {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            for (int i = 0; i < 3; i++) {
                Socket filler = new Socket();
                try {
                    filler.connect(server.getLocalSocketAddress(), 200);
                    BLACKHOLE_FILLERS.add(filler);
                } catch (IOException e) {
                    filler.close();
                    break;
                }
            }
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RawHttp.Response raw(String localAddress, String request) throws IOException {
        return RawHttp.exchange(localAddress, "127.0.0.1", Deployments.httpPort(), request, TIMEOUT);
    }

    private static RawHttp.Response get(String path, String... headers) throws IOException {
        return getFrom("127.0.0.1", path, headers);
    }

    private static RawHttp.Response getFrom(String localAddress, String path, String... headers) throws IOException {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:"
                + Deployments.httpPort() + "\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return raw(localAddress, request.append("Connection: close\r\n\r\n").toString());
    }

    private static JsonNode json(RawHttp.Response response) {
        return Echo.json(response);
    }

    private static void assertProblem(int status, RawHttp.Response response) {
        assertEquals(status, response.status(), response.text());
        assertEquals("application/problem+json", response.header("content-type"));
        assertEquals(status, json(response).get("status").intValue());
        assertNotNull(json(response).get("requestId"));
    }

    private static String header(JsonNode echo, String name) {
        return Echo.header(echo, name);
    }

    @Test
    void aBackendsChallenge_reachesTheClientAsItWasSent_andIsNotAnsweredByTheProxy() throws Exception {
        int before = CHALLENGES.get();

        RawHttp.Response response = get("/challenge/private", "Authorization: Basic d3Jvbmc6d3Jvbmc=");

        assertEquals(401, response.status());
        assertEquals("Basic realm=\"app\"", response.header("WWW-Authenticate"));
        assertEquals(before + 1, CHALLENGES.get(), "one request reached the backend");
    }

    // Failures, one per row of the table.

    @Test
    void malformedBackendResponse_returns502() throws Exception {
        assertProblem(502, get("/garbage/x"));
    }

    @Test
    void backendResetBeforeResponse_returns502() throws Exception {
        assertProblem(502, get("/reset/x"));
    }

    @Test
    void backendClosedBeforeResponse_returns502() throws Exception {
        assertProblem(502, get("/closes/x"));
    }

    @Test
    void backendThatNeverAnswers_returns504_atTheResponseTimeout() throws Exception {
        assertProblem(504, get("/silent/x"));
    }

    @Test
    void connectTimeout_returns504() throws Exception {
        assertProblem(504, get("/blackhole/x"));
    }

    @Test
    void backendFailureAfterCommit_cutsTheResponseOff() throws Exception {
        RawHttp.Response response = get("/partial/x");

        assertEquals(200, response.status());
        assertEquals("100000", response.header("content-length"));
        assertTrue(response.body().length < 100_000, "the client must not get a complete-looking body");
    }

    @Test
    void aBackendThatStallsMidBody_hasTheResponseCutOffAtItsTimeout() throws Exception {
        long began = System.nanoTime();
        RawHttp.Response response = get("/stalls/x");

        assertEquals(200, response.status());
        assertEquals("1000", response.header("content-length"));
        assertEquals(10, response.body().length, "what came, and then the end of the connection");
        // The route's response timeout is 1 s and the backend would hold on for 15: the proxy ended it.
        assertTrue(System.nanoTime() - began < Duration.ofSeconds(10).toNanos(), "the client waited on the backend");
    }

    @Test
    void aBackendThatResetsMidBody_hasTheResponseCutOff() throws Exception {
        RawHttp.Response response = get("/resetsmidbody/x");

        assertEquals(200, response.status());
        assertEquals("100000", response.header("content-length"));
        assertTrue(response.body().length < 100_000, "the client must not get a complete-looking body");
    }

    @Test
    void aBodyTrickledSteadily_withinTheTimeoutBetweenReads_isRelayedWhole() throws Exception {
        RawHttp.Response response = get("/trickles/x");

        assertEquals(200, response.status());
        assertEquals("abcdefghijklmnopqrst", response.text());
    }

    /**
     * After every fault above, each proxy's pool holds no leased connection and nobody waits for one: nothing
     * leaked. Read over JMX, so only where the container runs in this JVM (embedded); skipped on the managed one.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void afterTheFaults_everyPoolIsBackToIdle() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> pools = server.queryNames(new ObjectName("dev.tierline:type=UpstreamPool,*"), null);
        Assumptions.assumeFalse(pools.isEmpty(), "the container runs in another JVM");
        List<String> busy = new ArrayList<>();
        // Bounded: streams cut off by the tests above end at their timeouts, at most 5 s.
        for (int i = 0; i < 100; i++) {
            busy.clear();
            for (ObjectName pool : pools) {
                int leased = (Integer) server.getAttribute(pool, "Leased");
                int pending = (Integer) server.getAttribute(pool, "Pending");
                if (leased > 0 || pending > 0) {
                    busy.add(pool.getKeyProperty("context") + ": " + leased + " leased, " + pending + " pending");
                }
            }
            if (busy.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(List.of(), busy);
        assertTrue(pools.size() >= 10, "a pool per proxy deployed here: " + pools);
    }

    @Test
    void aBackendsTrailerFields_reachTheClient_butNotOnesATrailerMustNotCarry() throws Exception {
        RawHttp.Response response = get("/trailers/x");

        assertEquals(200, response.status());
        assertEquals("hello", response.text());
        assertEquals(Map.of("x-checksum", "abc"), response.trailers());
        assertNull(response.header("set-cookie"));
    }

    // HTTPS to the backend.

    @Test
    void aBackendOverTls_isReached_whenTheConfiguredTrustStoreHoldsItsCertificate() throws Exception {
        RawHttp.Response response = get("/tlstrusted/x");

        assertEquals(200, response.status(), response.text());
        assertEquals("over tls", response.text());
    }

    @Test
    void aBackendOverTls_whoseCertificateIsNotTrusted_gets502() throws Exception {
        assertProblem(502, get("/tlsuntrusted/x"));
    }

    // Streaming.

    @Test
    void serverSentEvents_reachTheClientWhileTheBackendHoldsTheStream() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", Deployments.httpPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(("GET /sse/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String upToFirst = readUntil(in, "data: one");
            assertTrue(upToFirst.startsWith("HTTP/1.1 200"), upToFirst);
            assertFalse(upToFirst.contains("data: two"));
            SECOND_EVENT.countDown();
            assertTrue(readUntil(in, "data: two").contains("data: two"));
        }
    }

    @Test
    void clientThatDisconnects_freesTheUpstreamConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", Deployments.httpPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write("GET /endless/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().readNBytes(64 * 1024);
        }
        assertTrue(ENDLESS_STREAM_CLOSED.await(20, TimeUnit.SECONDS),
                "the proxy kept reading from the backend after its client left");
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
            int b = in.read();
            if (b == -1) {
                break;
            }
            seen.write(b);
        }
        return seen.toString(StandardCharsets.ISO_8859_1);
    }

    // Protocol details.

    @Test
    void expectContinue_isAnsweredBeforeTheBodyIsSent() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", Deployments.httpPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /proxy/api/test/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String interim = readUntil(in, "\r\n\r\n");
            assertTrue(interim.startsWith("HTTP/1.1 100"), interim);
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(rest.startsWith("HTTP/1.1 200"), rest);
            assertTrue(rest.contains("\"body\":\"hello\""), rest);
        }
    }

    @Test
    void trace_returns405_andIsNotForwarded() throws Exception {
        RawHttp.Response response = raw("127.0.0.1", "TRACE /proxy/api/test/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Cookie: secret=1\r\nConnection: close\r\n\r\n");

        assertEquals(405, response.status());
        assertFalse(response.text().contains("secret"));
    }

    @Test
    void connect_returns501_andIsNotForwarded() throws Exception {
        // Tomcat answers CONNECT itself, before any application; the proxy servlet refuses it too, should
        // a container pass it on. tomcat-conf's error valve makes the body problem+json (TopologyIT).
        RawHttp.Response response = raw("127.0.0.1", "CONNECT /proxy/api/test/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n\r\n");

        assertEquals(501, response.status());
        assertFalse(response.text().contains("\"method\""), "an echo would mean it was forwarded");
    }

    @Test
    void requestBodyWithNeitherLengthNorChunking_isForwardedAsEmpty() throws Exception {
        RawHttp.Response response = raw("127.0.0.1", "POST /proxy/api/test/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: text/plain\r\nConnection: close\r\n\r\n");

        assertEquals(200, response.status());
        assertEquals(0, json(response).get("bodyLength").intValue());
    }

    @Test
    void chunkedRequestBody_isStreamedUpstream() throws Exception {
        RawHttp.Response response = raw("127.0.0.1", "POST /proxy/api/test/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");

        assertEquals(200, response.status());
        assertEquals("hello world", json(response).get("body").stringValue());
    }

    @Test
    void requestId_isPassedThrough_orGeneratedWhenAbsent() throws Exception {
        RawHttp.Response given = get("/proxy/api/test/echo", "X-Request-Id: order-42.a");
        assertEquals("order-42.a", header(json(given), "x-request-id"));
        assertEquals("order-42.a", given.header("x-request-id"));

        RawHttp.Response generated = get("/proxy/api/test/echo", "X-Request-Id: not {an} id");
        String id = generated.header("x-request-id");
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals(id, header(json(generated), "x-request-id"));
    }

    @Test
    void via_isAddedInBothDirections() throws Exception {
        RawHttp.Response response = get("/proxy/api/test/echo", "Via: 1.1 edge");

        assertEquals("1.1 edge, 1.1 tierline", header(json(response), "via"));
        assertTrue(response.header("via").endsWith("1.1 tierline"), response.header("via"));
    }

    @Test
    void forwardedAppend_extendsTheChain_onlyForTheTrustedBalancer() throws Exception {
        JsonNode trusted = json(getFrom("127.0.0.4", "/append/api/test/echo", "X-Forwarded-For: 203.0.113.9",
                "X-Forwarded-Proto: https", "Forwarded: for=203.0.113.9;proto=https"));
        assertEquals("203.0.113.9, 127.0.0.4", header(trusted, "x-forwarded-for"));
        assertEquals("https", header(trusted, "x-forwarded-proto"));
        assertEquals("for=203.0.113.9;proto=https, for=127.0.0.4;proto=http;host=\"127.0.0.1:"
                + Deployments.httpPort() + "\"", header(trusted, "forwarded"));

        JsonNode untrusted = json(getFrom("127.0.0.3", "/append/api/test/echo", "X-Forwarded-For: 203.0.113.9",
                "X-Forwarded-Proto: https"));
        assertEquals("127.0.0.3", header(untrusted, "x-forwarded-for"));
        assertEquals("http", header(untrusted, "x-forwarded-proto"));
    }

    @Test
    void forwardedDrop_sendsNoForwardingHeaders() throws Exception {
        JsonNode echo = json(get("/drop/api/test/echo", "X-Forwarded-For: 203.0.113.9", "Forwarded: for=x"));

        for (String name : List.of("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port",
                "forwarded")) {
            assertNull(header(echo, name), name);
        }
    }

    @Test
    void upstreamHost_isTheBackends_unlessTheRoutePreservesIt() throws Exception {
        assertEquals("127.0.0.1:" + Deployments.httpPort(),
                header(json(get("/proxy/api/test/echo")), "host"));
        assertEquals("public.example", header(json(raw("127.0.0.1", "GET /preserve/api/test/echo HTTP/1.1\r\n"
                + "Host: public.example\r\nConnection: close\r\n\r\n")), "host"));
    }

    @Test
    void redirectToTheBackendsOwnAddress_isRewrittenToThePublicOne() throws Exception {
        RawHttp.Response response = get("/proxy/api/test/redirect?to=/next");

        assertEquals(302, response.status());
        assertEquals("http://127.0.0.1:" + Deployments.httpPort() + "/proxy/next", response.header("location"));
    }

    @Test
    void cookiePathUnderTheBackendPrefix_isRewritten_andItsNameKept() throws Exception {
        RawHttp.Response response = get("/proxy/api/test/cookie?name=Session_ID&value=abc&path=/app/api");

        assertEquals(200, response.status());
        String cookie = response.header("set-cookie");
        assertTrue(cookie.startsWith("Session_ID=abc"), cookie);
        assertTrue(cookie.contains("Path=/proxy/api"), cookie);
    }

    @Test
    void encodedTraversalAndPathParameters_neverLeaveTheBackendsPrefix() throws Exception {
        // Decoded once by the container, "%252e" is "%2e" and is sent on encoded again: the backend sees
        // a literal segment, never "..", so the request stays under /app instead of reaching /manager.
        RawHttp.Response doubleEncoded = get("/proxy/api/%252e%252e/%252e%252e/manager/text/list");
        assertEquals(404, doubleEncoded.status());
        assertEquals("/app/api/%252e%252e/%252e%252e/manager/text/list", json(doubleEncoded).get("instance").stringValue());

        RawHttp.Response semicolon = get("/proxy/api/test/echo%3Bjsessionid=1");
        assertEquals(404, semicolon.status());
        assertEquals("/app/api/test/echo%3Bjsessionid=1", json(semicolon).get("instance").stringValue());
    }
}
