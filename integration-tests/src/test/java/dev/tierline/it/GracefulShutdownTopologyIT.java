package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stopping the topology (SIGTERM to the run command) with requests in flight through the web tier, on the
 * distribution and in embedded mode, with a grace of 3 s: a request that ends within it is answered whole, and
 * one that would outlast it is cut short in a way no client can take for a whole answer (its connection
 * closed without an answer, or a 5xx), never an empty 200. A WebSocket open through the web tier is closed with a
 * Close frame (1001, going away).
 */
class GracefulShutdownTopologyIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What the client saw: the response, or null when the connection closed without one. */
    private static CompletableFuture<RawHttp.Response> get(String path) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return RawHttp.exchange("127.0.0.3", "127.0.0.1", Topology.HTTP,
                        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", TIMEOUT);
            } catch (IOException e) {
                return null;
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"distribution", "embedded"})
    void aStop_letsRequestsInFlightFinish_andNeverMakesOneCutShortLookComplete(String mode) throws Exception {
        Map<String, String> env = Map.of("TIERLINE_SHUTDOWN_GRACE", "3000", "TIERLINE_JAVA_OPTS", "-Xmx64m");
        Topology topology = mode.equals("embedded")
                ? Topology.start("graceful-embedded", env, "run", "--embedded")
                : Topology.start("graceful-distribution", env);
        try {
            WebSocketRecorder webSocket = new WebSocketRecorder();
            Session session = WebSocketRecorder.open(webSocket, "ws://127.0.0.1:" + Topology.HTTP + "/api/echo",
                    Map.of());
            session.getBasicRemote().sendText("before the stop");
            assertEquals("before the stop", webSocket.next());
            CompletableFuture<RawHttp.Response> finishes = get("/api/test/delay?ms=2000");
            CompletableFuture<RawHttp.Response> outlasts = get("/api/test/delay?ms=15000");
            Thread.sleep(700);

            topology.launcher.destroy();

            RawHttp.Response whole = finishes.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(whole != null, "the request within the grace got no answer");
            assertEquals(200, whole.status(), whole.text());
            assertEquals("{\"delayedMs\":2000}", whole.text());

            RawHttp.Response cut = outlasts.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(cut == null || cut.status() >= 500,
                () -> "a request cut short by the stop was answered " + cut.status() + ": '" + cut.text() + "'");
            CloseReason closed = (CloseReason) webSocket.next();
            assertEquals(CloseReason.CloseCodes.GOING_AWAY, closed.getCloseCode(),
                    "a WebSocket through the web tier is closed with a Close frame, going away");
            assertEquals(143, LauncherProcess.awaitExit(topology.launcher, Duration.ofSeconds(60)));
            assertFalse(topology.launcher.isAlive());
        } finally {
            Topology.stop(topology);
        }
    }
}
