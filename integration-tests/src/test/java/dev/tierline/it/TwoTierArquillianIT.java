package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built WARs in one Tomcat: app-war at /app, proxy-war at /proxy forwarding to it, and proxy-war at
 * /dead forwarding to a port nobody listens on. Runs on embedded Tomcat and, through the Manager, on the
 * Tomcat distribution (failsafe's executions pick which).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TwoTierArquillianIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final long FIFTY_MIB = 50L * 1024 * 1024;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(name = "app", testable = false, order = 1)
    static WebArchive app() {
        return Deployments.app("app");
    }

    @Deployment(name = "proxy", testable = false, order = 2)
    static WebArchive proxy() {
        return Deployments.proxy("proxy", "http://127.0.0.1:" + Deployments.httpPort() + "/app", "PT2S");
    }

    @Deployment(name = "dead", testable = false, order = 3)
    static WebArchive dead() throws IOException {
        int unused;
        try (ServerSocket socket = new ServerSocket(0)) {
            unused = socket.getLocalPort();
        }
        return Deployments.proxy("dead", "http://127.0.0.1:" + unused, "PT2S");
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + Deployments.httpPort() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static RawHttp.Response raw(String localAddress, String request) throws IOException {
        return RawHttp.exchange(localAddress, "127.0.0.1", Deployments.httpPort(), request, TIMEOUT);
    }

    @Test
    void whoami_throughProxy_answersFromAppWithForwardedHeaders() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/proxy/api/whoami")));

        assertEquals(200, response.statusCode());
        JsonNode whoami = JSON.readTree(response.body());
        assertEquals("app", whoami.get("instance").stringValue());
        assertEquals("/app/api/whoami", whoami.get("path").stringValue());
        JsonNode headers = whoami.get("headers");
        assertEquals("127.0.0.1", headers.get("x-forwarded-for").get(0).stringValue());
        assertEquals("http", headers.get("x-forwarded-proto").get(0).stringValue());
        assertEquals("127.0.0.1:" + Deployments.httpPort(), headers.get("x-forwarded-host").get(0).stringValue());
        assertEquals(Integer.toString(Deployments.httpPort()), headers.get("x-forwarded-port").get(0).stringValue());
    }

    @Test
    void serverSentEvents_fromTheApp_arriveWholeThroughTheProxy() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/proxy/api/test/events?n=3&intervalMs=10")));

        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElseThrow());
        List<String> ids = response.body().lines().filter(line -> line.startsWith("id: ")).toList();
        assertEquals(List.of("id: 1", "id: 2", "id: 3"), ids);
        assertEquals(3, response.body().lines().filter(line -> line.matches("data: [0-9]{16}")).count(),
                response.body());
    }

    @Test
    void spoofedForwardedHeaders_areReplacedWithWhatTheProxySaw() throws Exception {
        RawHttp.Response response = raw("127.0.0.3", "GET /proxy/api/test/echo HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "X-Forwarded-For: 6.6.6.6\r\n"
                + "X-Forwarded-Proto: https\r\n"
                + "X-Forwarded-Host: evil.example\r\n"
                + "Forwarded: for=6.6.6.6\r\n"
                + "Connection: close\r\n\r\n");

        assertEquals(200, response.status());
        JsonNode headers = JSON.readTree(response.body()).get("headers");
        assertEquals(List.of("127.0.0.3"), strings(headers.get("x-forwarded-for")));
        assertEquals(List.of("http"), strings(headers.get("x-forwarded-proto")));
        assertEquals(List.of("127.0.0.1"), strings(headers.get("x-forwarded-host")));
        assertEquals(List.of("for=127.0.0.3;proto=http;host=127.0.0.1"), strings(headers.get("forwarded")));
    }

    @Test
    void hopByHopHeaders_andHeadersNamedInConnection_areNotForwarded() throws Exception {
        RawHttp.Response response = raw("127.0.0.1", "GET /proxy/api/test/echo HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Connection: close, X-Hop\r\n"
                + "X-Hop: secret\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\n"
                + "TE: trailers\r\n"
                + "X-End-To-End: kept\r\n\r\n");

        assertEquals(200, response.status());
        JsonNode headers = JSON.readTree(response.body()).get("headers");
        for (String dropped : List.of("x-hop", "keep-alive", "proxy-authorization", "te")) {
            assertNull(headers.get(dropped), dropped + " crossed the proxy");
        }
        assertEquals(List.of("kept"), strings(headers.get("x-end-to-end")));
    }

    @Test
    void queryString_isForwardedByteForByte() throws Exception {
        String query = "a=%2F&b=x+y&c=%41%zz&d=&e";
        RawHttp.Response response = raw("127.0.0.1", "GET /proxy/api/test/echo?" + query + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertEquals(200, response.status());
        assertEquals(query, JSON.readTree(response.body()).get("query").stringValue());
    }

    @Test
    void deadBackend_returns502ProblemJson() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/dead/api/whoami")));

        assertEquals(502, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        JsonNode problem = JSON.readTree(response.body());
        assertEquals(502, problem.get("status").intValue());
        assertEquals("/dead/api/whoami", problem.get("instance").stringValue());
    }

    @Test
    void backendSlowerThanResponseTimeout_returns504ProblemJson() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/proxy/api/test/delay?ms=5000")));

        assertEquals(504, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(504, JSON.readTree(response.body()).get("status").intValue());
    }

    @Test
    void upload50MiB_streamsThroughTheProxy() throws Exception {
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        try (InputStream pattern = new PatternStream(FIFTY_MIB)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = pattern.read(buffer)) != -1; ) {
                expected.update(buffer, 0, n);
            }
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/proxy/api/test/echo"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(FIFTY_MIB)), FIFTY_MIB)));

        assertEquals(200, response.statusCode());
        JsonNode echo = JSON.readTree(response.body());
        assertEquals(FIFTY_MIB, echo.get("bodyLength").longValue());
        assertEquals(HexFormat.of().formatHex(expected.digest()), echo.get("bodySha256").stringValue());
    }

    @Test
    void download50MiB_streamsThroughTheProxy() throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url("/proxy/api/test/bytes?n=" + FIFTY_MIB))
                .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofInputStream());

        assertEquals(200, response.statusCode());
        assertEquals(Long.toString(FIFTY_MIB), response.headers().firstValue("Content-Length").orElseThrow());
        try (InputStream body = response.body()) {
            assertEquals(FIFTY_MIB, PatternStream.verify(body));
        }
    }

    @Test
    void everyMethod_andItsBody_roundTrip() throws Exception {
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND")) {
            String body = "body of " + method + " \u00e9\u00e8";
            HttpResponse<String> response = send(HttpRequest.newBuilder(url("/proxy/api/test/echo?m=" + method))
                    .header("Content-Type", "text/plain; charset=UTF-8")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));

            assertEquals(200, response.statusCode(), method);
            JsonNode echo = JSON.readTree(response.body());
            assertEquals(method, echo.get("method").stringValue());
            assertEquals(body, echo.get("body").stringValue(), method);
        }
        HttpResponse<String> head = send(HttpRequest.newBuilder(url("/proxy/api/whoami"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertTrue(head.body().isEmpty());
    }

    @Test
    void items_createReadReplaceDelete_throughTheProxy() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(url("/proxy/api/items"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bolt\",\"quantity\":3}")));
        assertEquals(201, created.statusCode());
        long id = JSON.readTree(created.body()).get("id").longValue();
        String item = "/proxy/api/items/" + id;

        assertEquals("bolt", JSON.readTree(send(HttpRequest.newBuilder(url(item))).body()).get("name").stringValue());
        HttpResponse<String> replaced = send(HttpRequest.newBuilder(url(item))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"nut\",\"quantity\":4}")));
        assertEquals(4, JSON.readTree(replaced.body()).get("quantity").intValue());
        assertEquals(204, send(HttpRequest.newBuilder(url(item)).DELETE()).statusCode());
        assertEquals(404, send(HttpRequest.newBuilder(url(item))).statusCode());

        HttpResponse<String> invalid = send(HttpRequest.newBuilder(url("/proxy/api/items"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":")));
        assertEquals(400, invalid.statusCode());
        assertEquals("application/problem+json", invalid.headers().firstValue("Content-Type").orElseThrow());
        assertFalse(JSON.readTree(invalid.body()).get("detail").stringValue().isEmpty());
    }

    private static List<String> strings(JsonNode array) {
        return array == null ? List.of() : array.valueStream().map(JsonNode::stringValue).toList();
    }
}
