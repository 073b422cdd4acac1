package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.launcher.Keystore;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin console's API and metrics on the run command's topology, from a configuration file: HTTPS only,
 * loopback only (here: 127.0.0.1 only, so 127.0.0.3 shows the allow-list), a viewer and an operator, CSRF
 * protection, every change audited, malformed changes refused, and backends added to and removed from the file.
 */
class AdminTopologyIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int HTTP = Topology.HTTP;
    private static final int HTTPS = Topology.HTTPS;
    private static final List<Integer> APPS = Topology.APPS;
    private static final Path CONFIG = LauncherProcess.itDir().resolve("admin-topology.json");
    private static final String VIEWER = "Basic " + Base64.getEncoder()
            .encodeToString("watcher:look-but-do-not-touch".getBytes(StandardCharsets.UTF_8));
    private static final String API = "/_admin/api/";

    private static Topology topology;
    private static String operator;
    private static SSLContext tls;

    @BeforeAll
    static void startTopology() throws Exception {
        Files.createDirectories(CONFIG.getParent());
        Files.writeString(CONFIG, """
                {"routes": [{"id": "all", "path": "/", "cluster": "app"}],
                 "clusters": {"app": {"backends": [
                   {"id": "app-%d", "url": "http://127.0.0.1:%d"},
                   {"id": "app-%d", "url": "http://127.0.0.1:%d"}],
                   "health": {"probe": {"path": "/api/health"}}}}}
                """.formatted(APPS.get(0), APPS.get(0), APPS.get(1), APPS.get(1)));
        topology = Topology.start("admin-topology", Map.of(
                "TIERLINE_CONFIG", CONFIG.toString(),
                "TIERLINE_ADMIN_ALLOW", "127.0.0.1/32,::1",
                "TIERLINE_VIEWER_USER", "watcher",
                "TIERLINE_VIEWER_PASSWORD", "look-but-do-not-touch",
                "TIERLINE_JAVA_OPTS", "-Xmx256m"));
        operator = Topology.adminAuthorization(topology.runDir);
        tls = Keystore.existing(topology.runDir.resolve("tls")).trustingIt();
    }

    @AfterAll
    static void stopTopology() throws Exception {
        Topology.stop(topology);
    }

    /** A client of the admin API with a session of its own: its cookies, and the CSRF token it fetched. */
    private static final class Session {
        final HttpClient http = HttpClient.newBuilder().sslContext(tls).cookieHandler(new CookieManager())
                .connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        final String authorization;
        String token = "none";

        Session(String authorization) {
            this.authorization = authorization;
        }

        HttpResponse<String> get(String path) throws Exception {
            HttpResponse<String> response = http.send(request(path).header("X-CSRF-Token", "Fetch").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            response.headers().firstValue("X-CSRF-Token").ifPresent(value -> token = value);
            return response;
        }

        HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
            HttpRequest.Builder builder = request(path).header("X-CSRF-Token", token);
            if (contentType != null) {
                builder.header("Content-Type", contentType);
            }
            return http.send(builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + HTTPS + path)).timeout(TIMEOUT)
                    .header("Authorization", authorization);
        }
    }

    private static JsonNode backend(Session session, String id) throws Exception {
        HttpResponse<String> status = session.get(API + "status");
        assertEquals(200, status.statusCode(), status.body());
        for (JsonNode candidate : JSON.readTree(status.body()).get("clusters").get(0).get("backends")) {
            if (candidate.get("id").stringValue().equals(id)) {
                return candidate;
            }
        }
        return null;
    }

    private static String app(int index) {
        return "app-" + APPS.get(index);
    }

    private static void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(status, JSON.readTree(response.body()).get("status").intValue());
    }

    @Test
    void plainHttp_isRedirectedToHttps() throws Exception {
        RawHttp.Response response = RawHttp.exchange("127.0.0.1", "127.0.0.1", HTTP, "GET /_admin/api/status HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + HTTP + "\r\nConnection: close\r\n\r\n", TIMEOUT);

        assertEquals(302, response.status());
        assertEquals("https://127.0.0.1:" + HTTPS + "/_admin/api/status", response.header("Location"));
    }

    @Test
    void withoutValidCredentials_theAnswerIs401_withABasicChallenge() throws Exception {
        for (String authorization : new String[] {"", "Basic " + Base64.getEncoder().encodeToString(
                "watcher:wrong".getBytes(StandardCharsets.UTF_8))}) {
            RawHttp.Response response = RawHttp.exchange(tls, "127.0.0.1", "127.0.0.1", HTTPS, "GET /_admin/api/status"
                    + " HTTP/1.1\r\nHost: 127.0.0.1:" + HTTPS + "\r\n" + (authorization.isEmpty() ? ""
                    : "Authorization: " + authorization + "\r\n") + "Connection: close\r\n\r\n", TIMEOUT);
            assertEquals(401, response.status(), response.text());
            assertTrue(response.header("WWW-Authenticate").startsWith("Basic realm=\"Tierline admin\""));
        }
    }

    @Test
    void theLoginForm_logsInAgainstTheRealm_andRefusesAnotherSitesPost() throws Exception {
        Session browser = new Session("");
        HttpResponse<String> page = browser.http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + HTTPS
                + "/_admin/")).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, page.statusCode());
        assertEquals("/_admin/login", URI.create(page.headers().firstValue("Location").orElse("")).getPath());
        String[] user = new String(Base64.getDecoder().decode(operator.substring(6)), StandardCharsets.UTF_8).split(":", 2);

        assertEquals("login?failed", login(browser, user[0], "wrong", null).headers().firstValue("Location")
                .map(location -> location.substring(location.lastIndexOf('/') + 1)).orElse(""));
        assertEquals(403, login(browser, user[0], user[1], "https://attacker.example").statusCode());
        HttpResponse<String> loggedIn = login(browser, user[0], user[1], "https://127.0.0.1:" + HTTPS);
        assertEquals(302, loggedIn.statusCode());
        assertEquals("/_admin/", loggedIn.uri().resolve(loggedIn.headers().firstValue("Location").orElse("")).getPath());
        HttpResponse<String> console = browser.http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + HTTPS
                + "/_admin/")).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, console.statusCode());
        assertTrue(console.body().contains("console.js"), console.body());
    }

    private static HttpResponse<String> login(Session browser, String user, String password, String origin)
            throws Exception {
        HttpRequest.Builder form = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + HTTPS + "/_admin/login"))
                .timeout(TIMEOUT).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + java.net.URLEncoder.encode(user,
                        StandardCharsets.UTF_8) + "&password=" + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8)));
        if (origin != null) {
            form.header("Origin", origin);
        }
        return browser.http.send(form.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAddressNotAllowed_getsForbidden_beforeAnyPasswordIsAskedFor() throws Exception {
        RawHttp.Response response = RawHttp.exchange(tls, "127.0.0.3", "127.0.0.1", HTTPS, "GET /_admin/api/status"
                + " HTTP/1.1\r\nHost: 127.0.0.1:" + HTTPS + "\r\nAuthorization: " + operator
                + "\r\nConnection: close\r\n\r\n", TIMEOUT);

        assertEquals(403, response.status(), response.text());
        assertNull(response.header("WWW-Authenticate"));
        assertTrue(response.text().contains("does not answer this address"), response.text());
    }

    @Test
    void aViewer_readsStatusAndMetrics_butCannotChangeAnything() throws Exception {
        Session viewer = new Session(VIEWER);
        JsonNode before = backend(viewer, app(0));
        assertEquals("enabled", before.get("adminState").stringValue());
        assertTrue(backend(viewer, app(1)) != null, "both app instances are shown");

        HttpResponse<String> drain = viewer.send("POST", API + "clusters/app/backends/" + app(0) + "/drain", null, null);

        assertProblem(drain, 403);
        assertTrue(drain.body().contains("tierline-operator"), drain.body());
        assertEquals("enabled", backend(viewer, app(0)).get("adminState").stringValue());
        HttpResponse<String> metrics = viewer.get("/_admin/metrics");
        assertEquals(200, metrics.statusCode());
    }

    @Test
    void aWebSocketTunnel_countsAsInFlightOnItsBackend_soADrainWaitsForIt() throws Exception {
        Session session = new Session(operator);
        WebSocketRecorder recorder = new WebSocketRecorder();
        jakarta.websocket.Session tunnel = WebSocketRecorder.open(recorder, "ws://127.0.0.1:" + Topology.HTTP
                + "/api/echo", Map.of());
        tunnel.getBasicRemote().sendText("held");
        assertEquals("held", recorder.next());
        String held = backend(session, app(0)).get("inFlight").intValue() == 1 ? app(0) : app(1);
        assertEquals(1, backend(session, held).get("inFlight").intValue(), "the open tunnel is in flight");

        HttpResponse<String> drained = session.send("POST", API + "clusters/app/backends/" + held + "/drain", null,
                null);
        assertEquals(200, drained.statusCode(), drained.body());
        tunnel.getBasicRemote().sendText("still here");
        assertEquals("still here", recorder.next(), "a drain lets the tunnel it has go on");
        assertEquals(1, backend(session, held).get("inFlight").intValue());

        tunnel.close();
        int inFlight = 1;
        for (int i = 0; i < 100 && inFlight != 0; i++) {
            Thread.sleep(100);
            inFlight = backend(session, held).get("inFlight").intValue();
        }
        assertEquals(0, inFlight, "the closed tunnel is no longer in flight");
        assertEquals(200, session.send("POST", API + "clusters/app/backends/" + held + "/enable", null, null)
                .statusCode());
    }

    @Test
    void anOperator_drainsAndEnables_andTheAuditLogSaysWhoDidWhat() throws Exception {
        Session session = new Session(operator);
        backend(session, app(1));

        HttpResponse<String> drained = session.send("POST", API + "clusters/app/backends/" + app(1) + "/drain", null,
                null);
        assertEquals(200, drained.statusCode(), drained.body());
        assertEquals("draining", JSON.readTree(drained.body()).get("state").stringValue());
        assertEquals("healthy", JSON.readTree(drained.body()).get("health").stringValue(), "its health still shows");
        HttpResponse<String> enabled = session.send("POST", API + "clusters/app/backends/" + app(1) + "/enable", null,
                null);
        assertEquals("healthy", JSON.readTree(enabled.body()).get("state").stringValue());

        JsonNode audit = JSON.readTree(session.get(API + "audit").body());
        JsonNode drain = null;
        for (JsonNode entry : audit) {
            if (entry.get("action").stringValue().equals("drain") && entry.get("target").stringValue()
                    .equals("app/" + app(1))) {
                drain = entry;
            }
        }
        assertTrue(drain != null, audit.toString());
        assertEquals("127.0.0.1", drain.get("address").stringValue());
        assertEquals("enabled", drain.get("before").stringValue());
        assertEquals("draining", drain.get("after").stringValue());
        assertFalse(drain.get("user").stringValue().isBlank());
    }

    @Test
    void aCrossSiteFormPost_getsForbidden_andChangesNothing() throws Exception {
        Session session = new Session(operator);
        backend(session, app(0));
        // What a page on another site can make a logged-in browser send: a form, its cookies, no CSRF token.
        HttpRequest forged = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + HTTPS + API + "clusters/app/backends/"
                + app(0) + "/disable")).timeout(TIMEOUT).header("Authorization", operator)
                .header("Origin", "https://attacker.example").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("confirm=yes")).build();

        HttpResponse<String> response = session.http.send(forged, HttpResponse.BodyHandlers.ofString());

        assertEquals(403, response.statusCode(), response.body());
        assertEquals("enabled", backend(session, app(0)).get("adminState").stringValue());
    }

    @Test
    void adminPaths_neverReachABackend() throws Exception {
        Session session = new Session(operator);
        // Spellings the container maps to the admin prefix. (A path that climbs out of it, /_admin/%2e%2e/api,
        // is the app's /api once normalised, as in nginx.)
        for (String path : new String[] {"/_admin/api/whoami", "/_admin/whoami", "/_admin/api/test/echo",
            "/%5Fadmin/whoami", "//_admin/whoami",
            "/_admin;x=y/whoami", "/_admin/./whoami"}) {
            HttpResponse<String> response = session.get(path);
            assertTrue(response.statusCode() == 404 || response.statusCode() == 400, path + ": " + response.body());
            assertFalse(response.body().contains("\"instance\":\"app-"), path + " reached the app: " + response.body());
            assertTrue(response.headers().firstValue("Via").isEmpty(), path + " came through the proxy");
        }
    }

    @Test
    void malformedOperations_getProblems_andChangeNothing() throws Exception {
        Session session = new Session(operator);
        JsonNode before = backend(session, app(0));
        byte[] file = Files.readAllBytes(CONFIG);
        String weight = API + "clusters/app/backends/" + app(0) + "/weight";

        assertProblem(session.send("POST", API + "clusters/app/backends/nobody/drain", null, null), 404);
        assertProblem(session.send("POST", API + "clusters/nowhere/backends/" + app(0) + "/drain", null, null), 404);
        assertProblem(session.send("POST", API + "clusters/app/backends/" + app(0) + "/explode", null, null), 404);
        assertProblem(session.send("GET", weight, null, null), 405);
        for (String body : new String[] {"{\"weight\": 0}", "{\"weight\": 1001}", "{\"weight\": \"3\"}",
            "{\"weight\": 2.5}", "{}", "[]"}) {
            assertProblem(session.send("PUT", weight, "application/json", body), 400);
        }
        assertProblem(session.send("PUT", weight, "application/json", "{\"weight\": "), 400);
        assertProblem(session.send("PUT", weight, "text/plain", "{\"weight\": 2}"), 415);
        HttpResponse<String> badBackend = session.send("POST", API + "clusters/app/backends", "application/json",
                "{\"url\": \"ftp://127.0.0.1:1\"}");
        assertProblem(badBackend, 400);
        assertTrue(JSON.readTree(badBackend.body()).get("errors").get(0).stringValue()
                .endsWith("clusters.app.backends[2].url: not an absolute http(s) URL: 'ftp://127.0.0.1:1'"),
                badBackend.body());

        JsonNode after = backend(session, app(0));
        assertEquals(before.get("configuredWeight"), after.get("configuredWeight"));
        assertEquals(before.get("adminState"), after.get("adminState"));
        assertArrayEquals(file, Files.readAllBytes(CONFIG), "the file is as it was");
    }

    @Test
    void aBackend_isAddedToAndRemovedFromTheFile_whichIsNotOverwrittenOnceChangedOnDisk() throws Exception {
        Session session = new Session(operator);
        backend(session, app(0));
        String original = Files.readString(CONFIG);

        HttpResponse<String> added = session.send("POST", API + "clusters/app/backends", "application/json",
                "{\"id\": \"extra\", \"url\": \"http://127.0.0.1:" + APPS.get(0) + "/\", \"state\": \"disabled\"}");
        assertEquals(201, added.statusCode(), added.body());
        assertTrue(Files.readString(CONFIG).contains("\"extra\""));
        assertEquals("disabled", backend(session, "extra").get("state").stringValue());

        HttpResponse<String> removed = session.send("DELETE", API + "clusters/app/backends/extra", null, null);
        assertEquals(200, removed.statusCode(), removed.body());
        assertFalse(Files.readString(CONFIG).contains("\"extra\""));
        assertNull(backend(session, "extra"));

        // A change on disk that the running configuration did not take (it is invalid) is not written over.
        String edited = Files.readString(CONFIG).replaceFirst("\"/\"", "\"no-slash\"");
        Files.writeString(CONFIG, edited);
        try {
            assertProblem(session.send("POST", API + "clusters/app/backends", "application/json",
                    "{\"id\": \"other\", \"url\": \"http://127.0.0.1:" + APPS.get(1) + "/\"}"), 409);
            assertEquals(edited, Files.readString(CONFIG));
        } finally {
            Files.writeString(CONFIG, original);
        }
    }

    @Test
    void metrics_areInPrometheusTextFormat() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        for (int i = 0; i < 4; i++) {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP + "/api/whoami")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        HttpResponse<String> metrics = new Session(VIEWER).get("/_admin/metrics");

        assertEquals(200, metrics.statusCode());
        assertEquals("text/plain;version=0.0.4;charset=utf-8", metrics.headers().firstValue("Content-Type").orElse(""));
        String text = metrics.body();
        assertTrue(text.matches("(?s).*\\ntierline_requests_total\\{route=\"all\",backend=\"app-\\d+\",code=\"2xx\"} \\d+\\n.*"),
                text);
        assertTrue(text.contains("# TYPE tierline_upstream_duration_seconds histogram"), text);
        assertTrue(text.contains("tierline_upstream_duration_seconds_bucket{cluster=\"app\",backend=\"" + app(0)
                + "\",le=\"+Inf\"}"), text);
        assertTrue(text.contains("tierline_backend_state{cluster=\"app\",backend=\"" + app(0) + "\",state=\"healthy\"} 1"),
                text);
        assertTrue(text.contains("tierline_upstream_pool_connections{state=\"leased\"}"), text);
    }

    @Test
    void theAccessLog_namesTheRequestId_theBackend_andTheUpstreamTime() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP
                + "/api/whoami")).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        String requestId = JSON.readTree(response.body()).get("headers").get("x-request-id").get(0).stringValue();
        String instance = JSON.readTree(response.body()).get("instance").stringValue();
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("127\\.0\\.0\\.1 \\[[^]]+] \"GET /api/whoami"
                + " HTTP/1\\.1\" 200 \\d+ \\d+ms " + requestId + " " + instance + " \\d+\\.\\d{3}");

        // The log is written in the background, within seconds.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String log = "";
        while (System.nanoTime() < deadline) {
            try (var files = Files.list(topology.runDir.resolve("web/logs"))) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("web_access")).toList()) {
                    log = Files.readString(file);
                }
            }
            if (log.lines().anyMatch(entry -> line.matcher(entry).matches())) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("No line like " + line + " in the access log:\n" + log);
    }
}
