package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

/**
 * WebSocket connections through the proxy servlet, on both containers: Tomcat's WebSocket client against app-war's
 * echo endpoint behind proxy-war, and raw sockets where the bytes on the wire are the point. Routes are told apart
 * by the Host the handshake names.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WebSocketTunnelArquillianIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String HANDSHAKE = "GET /wsproxy/api/echo HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n%s\r\n";

    /** Refuses every handshake, as an app without the endpoint or with a failed check would. */
    private static final FakeBackend REFUSING = FakeBackend.start((socket, in, out) -> {
        FakeBackend.readHead(in);
        out.write(("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nX-Refused-By: backend\r\n"
                + "Content-Length: 9\r\nConnection: close\r\n\r\nnot you\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    });
    /** What the accepting backend read after its 101, once its connection ended: bytes, then the end. */
    private static final BlockingQueue<byte[]> AFTER_UPGRADE = new LinkedBlockingQueue<>();
    /** Accepts the upgrade, then reads until the proxy closes the connection. */
    private static final FakeBackend ACCEPTING = FakeBackend.start((socket, in, out) -> {
        acceptUpgrade(in, out);
        AFTER_UPGRADE.add(in.readAllBytes());
    });

    /** Accepts the upgrade, then reads nothing for up to 20 s: a backend that does not keep up with its client. */
    private static final FakeBackend STALLED = FakeBackend.start((socket, in, out) -> {
        acceptUpgrade(in, out);
        Thread.sleep(20_000);
    });

    /** Reads the handshake and answers 101, with the accept value for {@link #HANDSHAKE}'s key (RFC 6455 1.3). */
    private static void acceptUpgrade(InputStream in, OutputStream out) throws IOException {
        FakeBackend.readHead(in);
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @AfterAll
    static void stopBackends() throws IOException {
        STALLED.close();
        REFUSING.close();
        ACCEPTING.close();
    }

    @Deployment(name = "wsapp", testable = false, order = 1)
    static WebArchive app() {
        return Deployments.app("wsapp");
    }

    @Deployment(name = "wsproxy", testable = false, order = 2)
    static WebArchive proxy() throws IOException {
        Path file = Path.of(System.getProperty("tierline.it.dir"), "websocket-routes.json");
        String app = "http://127.0.0.1:" + Deployments.httpPort() + "/wsapp";
        Files.writeString(file, JsonMapper.builder().build().writeValueAsString(Map.of(
                "routes", List.of(
                        Map.of("path", "/", "host", "off.test", "cluster", "app", "webSocket", Map.of("enabled", false)),
                        Map.of("path", "/", "host", "origin.test", "cluster", "app",
                                "webSocket", Map.of("origins", List.of("https://good.example"))),
                        Map.of("path", "/", "host", "idle.test", "cluster", "app",
                                "webSocket", Map.of("idleTimeout", "PT1S")),
                        Map.of("path", "/", "host", "limit.test", "cluster", "app",
                                "webSocket", Map.of("maxTunnels", 1)),
                        Map.of("path", "/", "host", "refusing.test", "cluster", "refusing"),
                        Map.of("path", "/", "host", "accepting.test", "cluster", "accepting"),
                        Map.of("path", "/", "host", "down.test", "cluster", "down"),
                        Map.of("path", "/", "host", "tls.test", "cluster", "tls"),
                        Map.of("path", "/", "host", "stalled.test", "cluster", "stalled"),
                        Map.of("path", "/", "cluster", "app")),
                "clusters", Map.of(
                        "app", Map.of("backends", List.of(Map.of("url", app))),
                        "refusing", Map.of("backends", List.of(Map.of("url", REFUSING.url()))),
                        "accepting", Map.of("backends", List.of(Map.of("url", ACCEPTING.url()))),
                        "stalled", Map.of("backends", List.of(Map.of("url", STALLED.url()))),
                        "down", Map.of("backends", List.of(Map.of("url", "http://127.0.0.1:" + closedPort()))),
                        "tls", Map.of("backends", List.of(Map.of("url", "https://127.0.0.1:" + closedPort())))))));
        return Deployments.proxy("wsproxy", Map.of("tierline.config", file.toString()));
    }

    private static String echo() {
        return "ws://127.0.0.1:" + Deployments.httpPort() + "/wsproxy/api/echo";
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static RawHttp.Response handshake(String host, String extraHeaders) throws IOException {
        return RawHttp.exchange("127.0.0.1", "127.0.0.1", Deployments.httpPort(),
                HANDSHAKE.formatted(host, extraHeaders), TIMEOUT);
    }

    @Test
    void messagesOfEverySize_andAPing_goThroughTheProxy_andComeBackAsSent() throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        try (Session session = WebSocketRecorder.open(recorder, echo(), Map.of())) {
            WebSocketRecorder.assertEchoes(session, recorder);
        }
    }

    @Test
    void theBackendsClose_reachesTheClient_withItsCode() throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        Session session = WebSocketRecorder.open(recorder, echo(), Map.of());
        try {
            session.getBasicRemote().sendText("x".repeat(5 * 1024 * 1024));
        } catch (IllegalStateException | IOException e) {
            // The endpoint closed the session while the message was still going out.
        }

        CloseReason reason = (CloseReason) recorder.next();
        assertEquals(CloseReason.CloseCodes.TOO_BIG, reason.getCloseCode());
    }

    @Test
    void aRouteWithoutWebSockets_refusesTheHandshake_with403() throws Exception {
        RawHttp.Response refused = handshake("off.test", "");

        assertEquals(403, refused.status());
        assertEquals("application/problem+json", refused.header("content-type"));
        assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains("WebSocket"));
    }

    @Test
    void onlyTheAllowedOrigin_opensATunnel() throws Exception {
        RawHttp.Response refused = handshake("origin.test", "Origin: https://evil.example\r\n");
        assertEquals(403, refused.status());
        assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains("origin"));

        WebSocketRecorder recorder = new WebSocketRecorder();
        try (Session session = WebSocketRecorder.open(recorder, echo(),
                Map.of("Host", "origin.test", "Origin", "https://good.example"))) {
            session.getBasicRemote().sendText("from a good page");
            assertEquals("from a good page", recorder.next());
        }
    }

    @Test
    void aBackendThatRefusesTheUpgrade_hasItsAnswerRelayed() throws Exception {
        RawHttp.Response refused = handshake("refusing.test", "");

        assertEquals(403, refused.status());
        assertEquals("backend", refused.header("x-refused-by"));
        assertEquals("not you\r\n", new String(refused.body(), StandardCharsets.US_ASCII));
    }

    @Test
    void aBackendThatIsDown_gets502() throws Exception {
        RawHttp.Response failed = handshake("down.test", "");

        assertEquals(502, failed.status());
        assertEquals("application/problem+json", failed.header("content-type"));
    }

    @Test
    void aBackendOverHttps_isNotTunnelledTo_andTheClientIsToldSo() throws Exception {
        RawHttp.Response refused = handshake("tls.test", "");

        assertEquals(501, refused.status());
        assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains("plain HTTP"));
    }

    @Test
    void aClientThatVanishes_hasTheBackendsConnectionClosed_afterACloseInItsName() throws Exception {
        AFTER_UPGRADE.clear();
        try (Socket socket = new Socket("127.0.0.1", Deployments.httpPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(HANDSHAKE.formatted("accepting.test", "").getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            RawHttp.Response upgraded = RawHttp.read(in);
            assertEquals(101, upgraded.status());
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", upgraded.header("sec-websocket-accept"));
        }

        byte[] after = AFTER_UPGRADE.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(after != null, "the backend's connection stayed open after the client went");
        // A masked Close (RFC 6455 5.5.1) with 1001, going away: 0x88, 0x82, a 4-byte mask, the masked code.
        assertEquals(8, after.length, "a masked Close frame with a code, and nothing else");
        assertEquals((byte) 0x88, after[0]);
        assertEquals((byte) 0x82, after[1]);
        int code = ((after[6] ^ after[2]) & 0xff) << 8 | ((after[7] ^ after[3]) & 0xff);
        assertEquals(1001, code);
    }

    @Test
    void aBackendThatStopsReading_endsItsTunnel_withTryAgainLater_andHoldsNoThread() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", Deployments.httpPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(HANDSHAKE.formatted("stalled.test", "").getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            assertEquals(101, RawHttp.read(in).status());
            Thread writer = new Thread(() -> {
                // Masked binary frames of 64 KiB, 32 MiB at most: far more than the backend's buffers and the queue.
                byte[] frame = new byte[14 + 65536];
                frame[0] = (byte) 0x82;
                frame[1] = (byte) (0x80 | 127);
                frame[7] = 1;
                try {
                    for (int i = 0; i < 512; i++) {
                        socket.getOutputStream().write(frame);
                    }
                } catch (IOException e) {
                    // The proxy ended the tunnel and closed the connection.
                }
            }, "stalled-backend-writer");
            writer.setDaemon(true);
            writer.start();

            byte[] close = in.readNBytes(4);
            assertEquals((byte) 0x88, close[0], "a Close frame");
            assertEquals(1013, (close[2] & 0xff) << 8 | (close[3] & 0xff), "1013, try again later");
        }
        // The web tier still answers: no container thread is held by the stalled backend.
        WebSocketRecorder recorder = new WebSocketRecorder();
        try (Session session = WebSocketRecorder.open(recorder, echo(), Map.of())) {
            session.getBasicRemote().sendText("still served");
            assertEquals("still served", recorder.next());
        }
    }

    @Test
    void anIdleTunnel_isClosedAtItsRoutesTimeout_withGoingAway() throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        long start = System.nanoTime();
        Session session = WebSocketRecorder.open(recorder, echo(), Map.of("Host", "idle.test"));
        session.getBasicRemote().sendText("then nothing");
        assertEquals("then nothing", recorder.next());

        CloseReason reason = (CloseReason) recorder.next();
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(CloseReason.CloseCodes.GOING_AWAY, reason.getCloseCode());
        assertTrue(waited >= 1000, "closed after " + waited + " ms, before its 1 s idle timeout");
    }

    @Test
    void pastTheRoutesTunnelLimit_aHandshakeGets503_untilOneCloses() throws Exception {
        WebSocketRecorder first = new WebSocketRecorder();
        Session open = WebSocketRecorder.open(first, echo(), Map.of("Host", "limit.test"));
        open.getBasicRemote().sendText("one");
        assertEquals("one", first.next());

        assertEquals(503, handshake("limit.test", "").status());

        open.close();
        assertTrue(first.next() instanceof CloseReason);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int status = 0;
        for (int i = 0; i < 100 && System.nanoTime() < deadline; i++) {
            status = handshake("limit.test", "").status();
            if (status == 101) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(101, status, "the closed tunnel's place was not given back");
    }
}
