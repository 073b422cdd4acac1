package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a route and a cluster of the configuration file limit, over raw sockets against backends that report
 * exactly what reached them: a route's largest request body, with and without a Content-Length, and a
 * cluster's idle timeout for its backends' pooled connections.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RouteLimitsArquillianIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int LIMIT = 1024;

    /** One request as the body backend saw it: its path, the body bytes it got, and whether the body ended. */
    record Received(String path, int bytes, boolean whole) {
    }

    private static final BlockingQueue<Received> RECEIVED = new LinkedBlockingQueue<>();
    /** Counted down once the backend has the first part of the body that grows past the limit later. */
    private static final CountDownLatch FIRST_PART = new CountDownLatch(1);
    private static final String GROWING = "/body/grows-past-the-limit";
    /** Each request head the headers backend got, whole. */
    private static final BlockingQueue<String> HEADS = new LinkedBlockingQueue<>();
    /** Notes each request head, and answers with headers of its own for a route's rules to change. */
    private static final FakeBackend HEADERS = FakeBackend.start((socket, in, out) -> {
        HEADS.add(FakeBackend.readHead(in));
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Backend: yes\r\nX-Remove-Me: internal\r\n"
                + "X-Frame-Options: SAMEORIGIN\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    });
    private static final FakeBackend BODY = FakeBackend.start((socket, in, out) -> {
        String head = FakeBackend.readHead(in);
        String path = head.split(" ", 3)[1];
        Received received = readBody(path, head, in);
        RECEIVED.add(received);
        if (received.whole()) {
            byte[] answer = String.valueOf(received.bytes()).getBytes(StandardCharsets.US_ASCII);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + answer.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(answer);
            out.flush();
        }
    });

    private static final AtomicInteger BRIEF_CONNECTIONS = new AtomicInteger();
    private static final AtomicInteger LASTING_CONNECTIONS = new AtomicInteger();
    private static final FakeBackend BRIEF = keepAlive(BRIEF_CONNECTIONS);
    private static final FakeBackend LASTING = keepAlive(LASTING_CONNECTIONS);

    @AfterAll
    static void stopBackends() throws IOException {
        BODY.close();
        HEADERS.close();
        BRIEF.close();
        LASTING.close();
    }

    @Deployment(name = "limits", testable = false)
    static WebArchive limits() throws IOException {
        Path file = Path.of(System.getProperty("tierline.it.dir"), "route-limits.json");
        Files.writeString(file, JsonMapper.builder().build().writeValueAsString(Map.of(
                "routes", List.of(
                        Map.of("path", "/body", "cluster", "body", "maxBodyBytes", LIMIT),
                        Map.of("path", "/secure", "cluster", "body", "redirectToHttps", true),
                        Map.of("path", "/rules", "cluster", "headers",
                                "requestHeaders", Map.of("remove", List.of("X-Client-Secret"),
                                        "set", Map.of("X-Env", "production"), "add", Map.of("X-Tag", "added")),
                                "responseHeaders", Map.of("remove", List.of("X-Remove-Me"),
                                        "set", Map.of("X-Frame-Options", "DENY"), "add", Map.of("X-Backend", "also"))),
                        Map.of("path", "/private", "cluster", "headers", "allow", List.of("127.0.0.4/30"),
                                "deny", List.of("127.0.0.6")),
                        Map.of("path", "/closed", "cluster", "headers", "deny", List.of("127.0.0.0/8")),
                        Map.of("path", "/brief", "cluster", "brief"),
                        Map.of("path", "/lasting", "cluster", "lasting")),
                "clusters", Map.of(
                        "body", Map.of("backends", List.of(Map.of("url", BODY.url()))),
                        "headers", Map.of("backends", List.of(Map.of("url", HEADERS.url()))),
                        "brief", Map.of("backends", List.of(Map.of("url", BRIEF.url())), "idleTimeout", "PT0.3S"),
                        "lasting", Map.of("backends", List.of(Map.of("url", LASTING.url())), "idleTimeout", "PT30S")))));
        return Deployments.proxy("limits", Map.of("tierline.config", file.toString(), "tierline.httpsPort", "8443"));
    }

    // A route that answers plain HTTP with a redirect to HTTPS, while the others forward it.

    @Test
    void aRouteThatRedirectsToHttps_answers308ToTheSameAddressOverHttps_andForwardsNothing() throws Exception {
        RawHttp.Response get = get("/limits/secure/a/b?x=1&y=%20");
        RawHttp.Response post = post("/limits/secure/form", "Content-Length: 3", "a=b");

        assertEquals(308, get.status(), get.text());
        assertEquals("https://127.0.0.1:8443/limits/secure/a/b?x=1&y=%20", get.header("location"));
        assertEquals(308, post.status(), post.text());
        assertEquals("https://127.0.0.1:8443/limits/secure/form", post.header("location"));
        assertEquals(null, get.header("strict-transport-security"), "HSTS goes only over HTTPS");
        // Another route to the same backend still forwards plain HTTP; the backend saw only that request.
        assertEquals(200, post("/limits/body/plain", "Content-Length: 1", "z").status());
        assertEquals("/body/plain", next("/body/plain", "/secure/a/b", "/secure/form").path());
    }

    // Header transforms and address lists, per route.

    @Test
    void aRoutesHeaderRules_changeTheRequestAndTheResponse_afterTheProxysOwn() throws Exception {
        HEADS.clear();
        RawHttp.Response response = raw("GET /limits/rules/x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Client-Secret: s3cr3t\r\n"
                + "X-Env: test\r\nX-Env: sneaked\r\nX-Tag: client\r\nConnection: close\r\n\r\n");

        assertEquals(200, response.status(), response.text());
        String head = HEADS.poll(10, TimeUnit.SECONDS);
        assertNotNull(head, "the backend got nothing");
        String lower = head.toLowerCase(java.util.Locale.ROOT);
        assertFalse(lower.contains("x-client-secret"), head);
        assertTrue(lower.contains("\r\nx-env: production\r\n") && !lower.contains("x-env: test")
                && !lower.contains("sneaked"), head);
        assertTrue(lower.contains("\r\nx-tag: client\r\n") && lower.contains("\r\nx-tag: added\r\n"), head);
        assertEquals(null, response.header("x-remove-me"));
        assertEquals(List.of("DENY"), response.headers().get("x-frame-options"));
        assertEquals(List.of("yes", "also"), response.headers().get("x-backend"));
    }

    @Test
    void aRoutesAddressLists_answer403ToOthers_andForwardNothing() throws Exception {
        HEADS.clear();
        String get = "GET /limits/private/x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        // 127.0.0.1 is outside the allowed 127.0.0.4/30; 127.0.0.6 is inside it, but denied.
        RawHttp.Response outsider = RawHttp.exchange("127.0.0.1", "127.0.0.1", Deployments.httpPort(), get, TIMEOUT);
        RawHttp.Response denied = RawHttp.exchange("127.0.0.6", "127.0.0.1", Deployments.httpPort(), get, TIMEOUT);
        RawHttp.Response closed = RawHttp.exchange("127.0.0.5", "127.0.0.1", Deployments.httpPort(),
                get.replace("/private/", "/closed/"), TIMEOUT);
        assertProblem(403, outsider);
        assertProblem(403, denied);
        assertProblem(403, closed);
        assertNull(HEADS.poll(300, TimeUnit.MILLISECONDS), "a refused request reached the backend");

        RawHttp.Response allowed = RawHttp.exchange("127.0.0.5", "127.0.0.1", Deployments.httpPort(), get, TIMEOUT);
        assertEquals(200, allowed.status(), allowed.text());
        assertNotNull(HEADS.poll(10, TimeUnit.SECONDS));
    }

    // The body limit.

    @Test
    void aContentLengthOverTheLimit_gets413_andTheBackendNeverHearsOfIt() throws Exception {
        RawHttp.Response refused = post("/limits/body/too-long", "Content-Length: " + (LIMIT + 1), "x".repeat(LIMIT + 1));
        RawHttp.Response taken = post("/limits/body/after-too-long", "Content-Length: 10", "x".repeat(10));

        assertProblem(413, refused);
        assertEquals(200, taken.status());
        // The backend answers one request at a time, in order: the first it got from these two was the second.
        assertEquals("/body/after-too-long", next("/body/too-long", "/body/after-too-long").path());
    }

    @Test
    void aChunkedBodyOverTheLimit_gets413_andTheBackendNeverGetsAWholeRequest() throws Exception {
        RawHttp.Response response = post("/limits/body/chunked-too-long", "Transfer-Encoding: chunked",
                chunked(4 * LIMIT, 256));

        assertProblem(413, response);
        assertEquals("close", response.header("connection"));
        // The upstream request may have been cut off before its head left, or in the middle of its body: either
        // way the backend never gets it whole. A request sent after it shows the backend is still listening.
        assertEquals(200, post("/limits/body/after-chunked", "Content-Length: 1", "z").status());
        List<Received> seen = drain(Duration.ofSeconds(2));
        assertTrue(seen.stream().anyMatch(received -> received.path().equals("/body/after-chunked")), seen::toString);
        for (Received received : seen) {
            if (received.path().equals("/body/chunked-too-long")) {
                assertFalse(received.whole(), "the backend must see the body cut off, never ended");
                assertTrue(received.bytes() <= LIMIT, "no more than the limit goes upstream: " + received.bytes());
            }
        }
    }

    @Test
    void aChunkedBodyThatGrowsPastTheLimit_midStream_isCutOffAtTheBackend() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", Deployments.httpPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            String chunks = chunked(4 * LIMIT, 256);
            int firstChunk = chunks.indexOf("\r\n", chunks.indexOf("\r\n") + 2) + 2;
            out.write(("POST /limits" + GROWING + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: close\r\n\r\n" + chunks.substring(0, firstChunk)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(FIRST_PART.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the first part reached the backend");
            out.write(chunks.substring(firstChunk).getBytes(StandardCharsets.US_ASCII));
            out.flush();

            assertProblem(413, RawHttp.read(new BufferedInputStream(socket.getInputStream())));
        }
        Received received = next(GROWING);
        assertFalse(received.whole(), "the backend must see the body cut off, never ended");
        assertTrue(received.bytes() >= 256 && received.bytes() <= LIMIT, "what reached the backend: " + received);
    }

    @Test
    void aChunkedBodyOfExactlyTheLimit_goesThroughWhole() throws Exception {
        RawHttp.Response response = post("/limits/body/chunked-at-limit", "Transfer-Encoding: chunked",
                chunked(LIMIT, 256));

        assertEquals(200, response.status(), response.text());
        assertEquals(String.valueOf(LIMIT), response.text());
        assertEquals(new Received("/body/chunked-at-limit", LIMIT, true), next("/body/chunked-at-limit"));
    }

    // The idle timeout of pooled connections, per cluster.

    @Test
    void aConnectionIdleLongerThanItsClustersIdleTimeout_isNotReused() throws Exception {
        for (int round = 0; round < 2; round++) {
            assertEquals(200, get("/limits/brief/x").status());
            assertEquals(200, get("/limits/lasting/x").status());
            // Past brief's 0.3 s, well within lasting's 30 s.
            Thread.sleep(1_500);
        }

        assertEquals(2, BRIEF_CONNECTIONS.get(), "each request after an idle spell of its pool needs a new connection");
        assertEquals(1, LASTING_CONNECTIONS.get(), "the pooled connection is reused within the idle timeout");
    }

    // Backends and requests.

    private static FakeBackend keepAlive(AtomicInteger connections) {
        return FakeBackend.start((socket, in, out) -> {
            connections.incrementAndGet();
            // One connection, as many requests as the proxy sends down it, each answered at once.
            for (int i = 0; i < 100; i++) {
                FakeBackend.readHead(in);
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        });
    }

    /** Reads a request body as framed by its head; a body that breaks off is reported, not thrown. */
    private static Received readBody(String path, String head, InputStream in) {
        FakeBackend.Body body = FakeBackend.readBody(head, in, () -> {
            if (path.equals(GROWING)) {
                FIRST_PART.countDown();
            }
        });
        return new Received(path, body.bytes(), body.whole());
    }

    /** The next request the body backend saw among {@code paths}, skipping those of other tests. */
    private static Received next(String... paths) throws InterruptedException {
        List<String> wanted = List.of(paths);
        List<Received> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Received received = RECEIVED.poll(10, TimeUnit.SECONDS);
            assertNotNull(received, "the backend saw none of " + wanted + " (only " + others + ")");
            if (wanted.contains(received.path())) {
                return received;
            }
            others.add(received);
        }
        throw new AssertionError("none of " + wanted + " among " + others);
    }

    /** Every request the body backend reports within {@code wait}. */
    private static List<Received> drain(Duration wait) throws InterruptedException {
        List<Received> seen = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        for (long left = wait.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            Received received = RECEIVED.poll(left, TimeUnit.NANOSECONDS);
            if (received != null) {
                seen.add(received);
            }
        }
        return seen;
    }

    private static String chunked(int bytes, int chunkSize) {
        StringBuilder body = new StringBuilder();
        for (int sent = 0; sent < bytes; sent += chunkSize) {
            int size = Math.min(chunkSize, bytes - sent);
            body.append(Integer.toHexString(size)).append("\r\n").append("y".repeat(size)).append("\r\n");
        }
        return body.append("0\r\n\r\n").toString();
    }

    private static RawHttp.Response post(String path, String framing, String body) throws IOException {
        return raw("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                + framing + "\r\nConnection: close\r\n\r\n" + body);
    }

    private static RawHttp.Response get(String path) throws IOException {
        return raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    private static RawHttp.Response raw(String request) throws IOException {
        return RawHttp.exchange("127.0.0.1", "127.0.0.1", Deployments.httpPort(), request, TIMEOUT);
    }

    private static void assertProblem(int status, RawHttp.Response response) {
        assertEquals(status, response.status(), response.text());
        assertEquals("application/problem+json", response.header("content-type"));
        assertTrue(response.text().contains("\"status\":" + status), response.text());
        assertNotEquals(null, response.header("x-request-id"));
    }
}
