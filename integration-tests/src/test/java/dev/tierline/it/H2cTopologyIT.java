package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The topology with the web tier speaking h2c to the app tier (tierline.upstreamProtocol=h2c): each backend
 * gets one connection, and every request is a stream of it. What one stream does must not touch the others.
 * Its routes come from a configuration file: every host with a 2 s response timeout, and the host
 * {@code limited.test} with a body limit besides and its answers never compressed, to the first app instance alone.
 */
class H2cTopologyIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long BODY = 256L * 1024 * 1024;

    private static final int HTTP = Topology.HTTP;
    private static final Path RUN_DIR = LauncherProcess.itDir().resolve("h2c-topology-run");
    private static final Path CONFIG = LauncherProcess.itDir().resolve("h2c-topology.json");
    private static final int LIMIT = 1024;

    private static Topology topology;
    private static Process launcher;

    @BeforeAll
    static void startTopology() throws Exception {
        Files.createDirectories(CONFIG.getParent());
        Files.writeString(CONFIG, """
                {"routes": [{"path": "/", "cluster": "app", "timeouts": {"response": "PT2S"}},
                            {"path": "/", "host": "limited.test", "cluster": "one", "timeouts": {"response": "PT2S"},
                             "compression": false,
                             "maxBodyBytes": %d}],
                 "clusters": {"app": {"backends": [{"url": "http://127.0.0.1:%d"}, {"url": "http://127.0.0.1:%d"}],
                                      "health": {"probe": {"path": "/api/health"}}},
                              "one": {"backends": [{"url": "http://127.0.0.1:%3$d"}]}}}
                """.formatted(LIMIT, Topology.APPS.get(0), Topology.APPS.get(1)));
        topology = Topology.start("h2c-topology", Map.of(
                "TIERLINE_UPSTREAM_PROTOCOL", "h2c",
                "TIERLINE_CONFIG", CONFIG.toString(),
                "TIERLINE_JAVA_OPTS", "-Xmx64m"));
        launcher = topology.launcher;
    }

    @AfterAll
    static void stopTopology() throws Exception {
        Topology.stop(topology);
    }

    private static RawHttp.Response get(String path, String... headers) throws Exception {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + HTTP + "\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        return RawHttp.exchange("127.0.0.3", "127.0.0.1", HTTP, request.toString(), TIMEOUT);
    }

    @Test
    void aRouteWithCompressionOff_keepsItsAnswersAsSent_whileOthersAreGzipped() throws Exception {
        String json = "GET /api/test/json?n=4000 HTTP/1.1\r\nHost: %s\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n";
        RawHttp.Response kept = RawHttp.exchange("127.0.0.3", "127.0.0.1", HTTP, json.formatted("limited.test"), TIMEOUT);
        RawHttp.Response gzipped = RawHttp.exchange("127.0.0.3", "127.0.0.1", HTTP, json.formatted("127.0.0.1"), TIMEOUT);

        assertEquals(200, kept.status());
        assertEquals(null, kept.header("content-encoding"));
        assertEquals(4000, kept.body().length);
        assertEquals("gzip", gzipped.header("content-encoding"));
    }

    @Test
    void aChunkedResponsesTrailerFields_reachTheClient_overH2c() throws Exception {
        RawHttp.Response response = get("/api/test/bytes?n=100000&chunked=true&trailer=h2c-abc");

        assertEquals(200, response.status());
        assertEquals(100000, response.body().length);
        assertEquals(Map.of("x-checksum", "h2c-abc"), response.trailers());
    }

    @Test
    void appTier_receivesHttp2_withTheClientsAddressFromTheWebTier() throws Exception {
        RawHttp.Response response = get("/api/whoami", "X-Forwarded-For: 6.6.6.6");

        assertEquals(200, response.status());
        JsonNode whoami = JSON.readTree(response.body());
        assertEquals("HTTP/2.0", whoami.get("protocol").stringValue());
        assertEquals("127.0.0.3", whoami.get("clientAddress").stringValue());
        assertEquals("http", whoami.get("scheme").stringValue());
    }

    @Test
    void bodies_streamBothWaysOverStreams_withA64MiBHeap() throws Exception {
        Transfers.assertWebTierHeapIs64MiB(launcher, RUN_DIR);
        Transfers.upload(HTTP, BODY);
        Transfers.download(HTTP, BODY);
    }

    /**
     * The shared connection stays quiet while a backend thinks, so the response timeout (2 s here) is each
     * stream's own: the silent one gets 504, while slower-than-nothing but timely ones beside it succeed.
     */
    @Test
    void aSilentBackend_timesOutItsOwnStream_andTheStreamsBesideItSucceed() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            Future<RawHttp.Response> silent = clients.submit(() -> get("/api/test/delay?ms=6000"));
            List<Future<RawHttp.Response>> timely = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                timely.add(clients.submit(() -> get("/api/test/delay?ms=1000")));
            }

            RawHttp.Response timedOut = silent.get(30, TimeUnit.SECONDS);
            assertEquals(504, timedOut.status(), timedOut.text());
            assertEquals("application/problem+json", timedOut.header("content-type"));
            assertEquals(timedOut.header("x-request-id"), JSON.readTree(timedOut.body()).get("requestId").stringValue());
            for (Future<RawHttp.Response> answer : timely) {
                RawHttp.Response response = answer.get(30, TimeUnit.SECONDS);
                assertEquals(200, response.status(), response.text());
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * A client that leaves in the middle of a large download has its stream reset; a request in flight on
     * the same connection at that moment still gets its whole answer.
     */
    @Test
    void aClientThatLeaves_resetsOnlyItsOwnStream() throws Exception {
        CompletableFuture<RawHttp.Response> beside = besideRequest();
        for (int attempt = 0; attempt < 2; attempt++) {
            // Two departures, so that both backends' connections see one whatever the balancer chose.
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), HTTP)) {
                socket.setSoTimeout((int) TIMEOUT.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(("GET /api/test/bytes?n=" + BODY + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] some = new byte[64 * 1024];
                int read = 0;
                for (int n; read < some.length && (n = in.read(some, read, some.length - read)) != -1; ) {
                    read += n;
                }
                assertEquals(some.length, read, "the download had begun");
            }
        }

        assertUndisturbed(beside);
    }

    /**
     * A body that grows past its route's limit gets 413, and its upstream stream ends without touching the
     * connection it shares: a request waiting beside it and a download streaming beside it, on the same
     * connection to the same instance, both get their whole answers.
     */
    @Test
    void aBodyPastItsRoutesLimit_leavesTheStreamsBesideItAlone() throws Exception {
        CompletableFuture<RawHttp.Response> waiting = besideRequest("limited.test", "/api/test/delay?ms=1500");
        CompletableFuture<RawHttp.Response> streaming = besideRequest("limited.test", "/api/test/bytes?n=" + (64 << 20));
        String part = Integer.toHexString(256) + "\r\n" + "y".repeat(256) + "\r\n";
        for (int attempt = 0; attempt < 2; attempt++) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), HTTP)) {
                socket.setSoTimeout((int) TIMEOUT.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/test/echo HTTP/1.1\r\nHost: limited.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + part).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // Time for the upstream stream to open, so the limit is mostly met in the middle of it; met
                // before, the request never leaves the proxy at all, which is as it should be too.
                Thread.sleep(300);
                out.write((part.repeat(4 * LIMIT / 256) + "0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();

                RawHttp.Response refused = RawHttp.read(new BufferedInputStream(socket.getInputStream()));
                assertEquals(413, refused.status(), refused.text());
                assertEquals("application/problem+json", refused.header("content-type"));
            }
        }

        assertUndisturbed(waiting);
        RawHttp.Response download = streaming.get(60, TimeUnit.SECONDS);
        assertEquals(200, download.status());
        assertEquals(64 << 20, download.body().length, "the download beside it was not cut off");
    }

    /** A request that stays in flight for 1.5 s, on the connection of whichever backend it goes to. */
    private static CompletableFuture<RawHttp.Response> besideRequest() {
        return besideRequest("127.0.0.1:" + HTTP, "/api/test/delay?ms=1500");
    }

    /** {@code path} requested for {@code host}, in the background. */
    private static CompletableFuture<RawHttp.Response> besideRequest(String host, String path) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return RawHttp.exchange("127.0.0.3", "127.0.0.1", HTTP, "GET " + path + " HTTP/1.1\r\nHost: " + host
                        + "\r\nConnection: close\r\n\r\n", TIMEOUT);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The request beside got its whole answer, and the connections still serve new requests. */
    private static void assertUndisturbed(CompletableFuture<RawHttp.Response> beside) throws Exception {
        RawHttp.Response response = beside.get(30, TimeUnit.SECONDS);
        assertEquals(200, response.status(), response.text());
        assertEquals(1500, JSON.readTree(response.body()).get("delayedMs").intValue());
        for (int i = 0; i < 4; i++) {
            assertEquals(200, get("/api/whoami").status(), "the connections still serve new requests");
        }
        assertTrue(launcher.isAlive());
    }
}
