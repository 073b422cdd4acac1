package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web tier configured by a JSON file (TIERLINE_CONFIG), rewritten again and again while requests flow:
 * every valid version takes over, an invalid one changes nothing, and no request fails on the way.
 */
class ReloadTopologyIT {

    private static final int HTTP = Topology.HTTP;
    private static final List<Integer> APPS = Topology.APPS;
    private static final Path RUN_DIR = LauncherProcess.itDir().resolve("reload-topology-run");
    private static final Path CONFIG = LauncherProcess.itDir().resolve("reload-topology.json");
    private static final int CLIENTS = 4;
    private static final int MAX_REQUESTS_PER_CLIENT = 50_000;

    private static Topology topology;

    /** Both app instances, with the given policy and weights, and the routes given. */
    private static String config(String policy, int weight0, int weight1, String extraRoute) {
        return """
                {"routes": [{"id": "all", "path": "/", "cluster": "app"}%s],
                 "clusters": {"app": {"loadBalancing": "%s", "backends": [
                   {"id": "app-%d", "url": "http://127.0.0.1:%d", "weight": %d},
                   {"id": "app-%d", "url": "http://127.0.0.1:%d", "weight": %d}]}}}
                """.formatted(extraRoute, policy, APPS.get(0), APPS.get(0), weight0, APPS.get(1), APPS.get(1), weight1);
    }

    @BeforeAll
    static void startTopology() throws Exception {
        Files.createDirectories(CONFIG.getParent());
        Files.writeString(CONFIG, config("round-robin", 1, 1, ""));
        topology = Topology.start("reload-topology", Map.of(
                "TIERLINE_CONFIG", CONFIG.toString(),
                "TIERLINE_JAVA_OPTS", "-Xmx256m"));
    }

    @AfterAll
    static void stopTopology() throws Exception {
        Topology.stop(topology);
    }

    @Test
    void reloadsUnderLoad_loseNoRequest_andAnInvalidFileChangesNothing() throws Exception {
        // The logs of an earlier run in the same folder are kept: only what this test adds counts.
        int reloadedBefore = count("Configuration reloaded from");
        int refusedBefore = count("not reloaded, the running one stays");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            String path = i % 2 == 0 ? "/api/whoami" : "/api/test/echo";
            running.add(clients.submit(() -> {
                for (int n = 0; n < MAX_REQUESTS_PER_CLIENT && !stop.get(); n++) {
                    try {
                        statuses.add(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP + path))
                                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode());
                    } catch (java.io.IOException e) {
                        statuses.add(0);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        List<String> versions = List.of(
                config("power-of-two-choices", 1, 3, ""),
                config("smooth-weighted-round-robin-is-not-a-policy", 1, 1, ""),
                config("weighted-round-robin", 2, 1, ", {\"id\": \"test\", \"path\": \"/api/test\", \"cluster\": \"app\"}"),
                config("least-requests", 1, 1, ""),
                config("round-robin", 1, 1, ""));
        try {
            awaitRequests(statuses, 200);
            for (String version : versions) {
                int reloaded = count("Configuration reloaded from");
                int refused = count("not reloaded, the running one stays");
                Files.writeString(CONFIG, version);
                awaitLog(() -> count("Configuration reloaded from") > reloaded
                        || count("not reloaded, the running one stays") > refused, Duration.ofSeconds(15));
                awaitRequests(statuses, statuses.size() + 100);
            }
        } finally {
            stop.set(true);
            for (Future<?> client : running) {
                client.get(60, TimeUnit.SECONDS);
            }
            clients.shutdownNow();
        }

        assertEquals(4, count("Configuration reloaded from") - reloadedBefore, "every valid version took over");
        assertEquals(1, count("not reloaded, the running one stays") - refusedBefore, "the invalid one did not");
        assertTrue(Files.readString(console()).contains(
                "clusters.app.loadBalancing: not one of"), "the reason is logged with its JSON path");
        List<Integer> all = List.copyOf(statuses);
        assertTrue(all.size() > 500, all.size() + " requests");
        assertEquals(List.of(), all.stream().filter(status -> status != 200).toList(), "no request failed");
    }

    @Test
    void cookieAffinity_keepsAClientOnTheInstanceItFirstReached() throws Exception {
        int reloaded = count("Configuration reloaded from");
        Files.writeString(CONFIG, config("power-of-two-choices", 1, 1, "").replace("\"loadBalancing\"",
                "\"affinity\": {\"mode\": \"cookie\"}, \"loadBalancing\""));
        awaitLog(() -> count("Configuration reloaded from") > reloaded, Duration.ofSeconds(15));
        HttpClient http = HttpClient.newHttpClient();
        URI whoami = URI.create("http://127.0.0.1:" + HTTP + "/api/whoami");

        HttpResponse<String> first = http.send(HttpRequest.newBuilder(whoami).build(), HttpResponse.BodyHandlers.ofString());
        String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.startsWith("TIERLINE_AFFINITY="), setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String instance = instanceOf(first.body());

        for (int i = 0; i < 20; i++) {
            HttpResponse<String> next = http.send(HttpRequest.newBuilder(whoami).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(instance, instanceOf(next.body()), "request " + i);
            assertTrue(next.headers().firstValue("Set-Cookie").isEmpty(), "already bound");
        }
    }

    /**
     * Operators reach the web tier's MBeans through the Manager's JMX proxy with the deployer's credentials
     * (manager-jmx): a backend's requests in flight, drain and enable, and a reload of the file on demand.
     */
    @Test
    void overTheManagersJmxProxy_backendsShowTheirLoad_drain_andTheFileReloadsOnDemand() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String backend = "dev.tierline:type=Backend,context=\"/\",cluster=\"app\",backend=\"app-" + APPS.get(0) + "\"";

        String inFlight = jmxProxy(http, "get=" + encode(backend) + "&att=InFlight");
        assertTrue(inFlight.startsWith("OK - Attribute get") && inFlight.contains("InFlight = "), inFlight);

        assertTrue(jmxProxy(http, "invoke=" + encode(backend) + "&op=drain").startsWith("OK"));
        String state = jmxProxy(http, "get=" + encode(backend) + "&att=AdminState");
        assertTrue(state.contains("AdminState = draining"), state);
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + HTTP + "/api/whoami")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("app-" + APPS.get(1), instanceOf(answer.body()), "the drained instance gets nothing new");
        }
        assertTrue(jmxProxy(http, "invoke=" + encode(backend) + "&op=enable").startsWith("OK"));

        String reload = jmxProxy(http, "invoke=" + encode("dev.tierline:type=Configuration,context=\"/\"") + "&op=reload");
        assertTrue(reload.startsWith("OK") && reload.contains("reloaded from " + CONFIG), reload);
    }

    private String jmxProxy(HttpClient http, String query) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + HTTP + "/manager/jmxproxy/?" + query))
                .header("Authorization", Topology.deployerAuthorization(RUN_DIR)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body().strip();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String instanceOf(String whoami) {
        int start = whoami.indexOf("\"instance\":\"") + "\"instance\":\"".length();
        return whoami.substring(start, whoami.indexOf('"', start));
    }

    private static Path console() {
        return RUN_DIR.resolve("web/logs/console.log");
    }

    private static int count(String text) throws Exception {
        return (int) Files.readAllLines(console()).stream().filter(line -> line.contains(text)).count();
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitLog(Condition condition, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static void awaitRequests(ConcurrentLinkedQueue<Integer> statuses, int atLeast) throws Exception {
        awaitLog(() -> statuses.size() >= atLeast, Duration.ofSeconds(30));
    }
}
