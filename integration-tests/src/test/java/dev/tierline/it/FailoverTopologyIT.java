package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
 * Two app instances under a steady load of GETs and POSTs through the web tier, and one of them killed
 * (SIGKILL) in the middle: no GET is lost, at most the POSTs that were in flight at the kill fail, no POST
 * runs twice, the dead instance is ejected at once, and it comes back, with slow start, once the launcher
 * has started it again.
 */
class FailoverTopologyIT {

    private static final int HTTP = Topology.HTTP;
    private static final List<Integer> APPS = Topology.APPS;
    private static final Path RUN_DIR = LauncherProcess.itDir().resolve("failover-topology-run");
    private static final Path LOG = LauncherProcess.itDir().resolve("failover-topology-launcher.log");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final int GET_CLIENTS = 3;
    private static final int POST_CLIENTS = 3;
    /** Every client stops after this many requests, or when the test says so, whichever comes first. */
    private static final int MAX_REQUESTS_PER_CLIENT = 20_000;
    private static final DateTimeFormatter TOMCAT_LOG_TIME =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss.SSS", Locale.ENGLISH);

    private static Topology topology;
    private static Process launcher;

    @BeforeAll
    static void startTopology() throws Exception {
        topology = Topology.start("failover-topology", Map.of("TIERLINE_JAVA_OPTS", "-Xmx256m"));
        launcher = topology.launcher;
    }

    @AfterAll
    static void stopTopology() throws Exception {
        Topology.stop(topology);
    }

    /** What one request got: its method, its status (0 when it got no answer at all) and its token. */
    private record Outcome(String method, int status, String token, String instance) {
    }

    @Test
    void killingAnAppInstanceUnderLoad_losesNoGet_andRunsNoPostTwice() throws Exception {
        String victim = "app-" + APPS.get(1);
        String victimBackend = "127.0.0.1:" + APPS.get(1);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(GET_CLIENTS + POST_CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < GET_CLIENTS; i++) {
            running.add(clients.submit(() -> load(http, stop, outcomes, false)));
        }
        for (int i = 0; i < POST_CLIENTS; i++) {
            running.add(clients.submit(() -> load(http, stop, outcomes, true)));
        }
        try {
            awaitRequestsTo(outcomes, victim, 50, Duration.ofSeconds(30));
            ProcessHandle victimJvm = launcher.descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("catalina.base=" + RUN_DIR.resolve(victim)))
                    .findFirst().orElseThrow();
            Instant killedAt = Instant.now();
            victimJvm.destroyForcibly();
            victimJvm.onExit().get(10, TimeUnit.SECONDS);

            // Ejected at once: the first failed attempts, within 2 s of the kill.
            Instant ejectedAt = awaitLogLine(killedAt, Duration.ofSeconds(10), "Backend " + victimBackend + " ejected");
            assertTrue(Duration.between(killedAt, ejectedAt).compareTo(Duration.ofSeconds(2)) <= 0,
                    "ejected " + Duration.between(killedAt, ejectedAt) + " after the kill");

            // Started again by the launcher, then back in rotation, with slow start, once its health probes
            // pass (or, between probes, once its ejection is over).
            LauncherProcess.awaitOutput(launcher, LOG, victim + " is up again", Duration.ofMinutes(2));
            int before = count(outcomes, victim);
            awaitRequestsTo(outcomes, victim, before + 50, Duration.ofSeconds(90));
            assertTrue(awaitLogLine(killedAt, Duration.ofSeconds(1), "Backend " + victimBackend, "back",
                    "with slow start").isAfter(killedAt));
        } finally {
            stop.set(true);
            for (Future<?> client : running) {
                client.get(60, TimeUnit.SECONDS);
            }
            clients.shutdownNow();
        }

        List<Outcome> all = List.copyOf(outcomes);
        List<Outcome> gets = all.stream().filter(o -> o.method().equals("GET")).toList();
        List<Outcome> posts = all.stream().filter(o -> o.method().equals("POST")).toList();
        assertTrue(gets.size() > 100 && posts.size() > 100, gets.size() + " GETs, " + posts.size() + " POSTs");
        assertEquals(List.of(), gets.stream().filter(o -> o.status() != 200).toList(), "every GET succeeded");
        List<Outcome> failedPosts = posts.stream().filter(o -> o.status() != 201).toList();
        assertTrue(failedPosts.stream().allMatch(o -> o.status() == 502), failedPosts.toString());
        assertTrue(failedPosts.size() <= POST_CLIENTS,
                "at most the POSTs in flight at the kill (one per client) fail: " + failedPosts);

        Map<String, Integer> runs = new HashMap<>();
        for (Integer port : APPS) {
            Path recorded = RUN_DIR.resolve("app-" + port).resolve("logs/recorded-posts.log");
            for (String token : Files.readAllLines(recorded)) {
                runs.merge(token, 1, Integer::sum);
            }
        }
        assertEquals(Map.of(), runs.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "POSTs run twice");
        for (Outcome post : posts) {
            if (post.status() == 201) {
                assertEquals(1, runs.getOrDefault(post.token(), 0), post.token() + " answered 201");
            }
        }
    }

    /** One client: GETs or POSTs in a loop, bounded in count and by the stop flag. */
    private static void load(HttpClient http, AtomicBoolean stop, ConcurrentLinkedQueue<Outcome> outcomes,
            boolean post) {
        for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && !stop.get(); i++) {
            String token = UUID.randomUUID().toString();
            HttpRequest request = post
                    ? HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP + "/api/test/record?token=" + token))
                            .timeout(REQUEST_TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build()
                    : HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP + "/api/whoami"))
                            .timeout(REQUEST_TIMEOUT).build();
            int status;
            String instance = "";
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                instance = instanceOf(response.body());
            } catch (IOException e) {
                status = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            outcomes.add(new Outcome(post ? "POST" : "GET", status, token, instance));
        }
    }

    /** whoami names the instance that answered; POSTs do not, and count for none. */
    private static String instanceOf(String body) {
        int at = body.indexOf("\"instance\":\"");
        if (at < 0) {
            return "";
        }
        int start = at + "\"instance\":\"".length();
        return body.substring(start, body.indexOf('"', start));
    }

    private static int count(ConcurrentLinkedQueue<Outcome> outcomes, String instance) {
        return (int) outcomes.stream().filter(o -> o.instance().equals(instance)).count();
    }

    private static void awaitRequestsTo(ConcurrentLinkedQueue<Outcome> outcomes, String instance, int atLeast,
            Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (count(outcomes, instance) < atLeast) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(instance + " answered " + count(outcomes, instance) + " GETs, not "
                        + atLeast + ", within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /** The time of the web tier's first log line, at or after {@code since}, that contains every fragment. */
    private static Instant awaitLogLine(Instant since, Duration timeout, String... fragments) throws Exception {
        Path console = RUN_DIR.resolve("web/logs/console.log");
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<Instant> found = Files.readAllLines(console).stream()
                    .filter(line -> java.util.Arrays.stream(fragments).allMatch(line::contains))
                    .map(line -> LocalDateTime.parse(line.substring(0, 24), TOMCAT_LOG_TIME)
                            .atZone(ZoneId.systemDefault()).toInstant())
                    .filter(at -> !at.isBefore(since.minusMillis(1)))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no line with " + java.util.Arrays.toString(fragments) + " in " + console
                        + " within " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
