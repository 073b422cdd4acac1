package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.launcher.Keystore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code tierline redeploy} on the run command's topology: app-war deployed again to each app instance in
 * turn while a load runs through the web tier, without one failed request; a WAR that cannot start stops the
 * command with its instance left draining while the other serves; and nothing changes at all when the WAR is
 * not one or the deployer's password is wrong. Each test leaves both instances enabled.
 */
class RedeployTopologyIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);
    private static final int HTTP = Topology.HTTP;
    private static final int HTTPS = Topology.HTTPS;
    private static final List<Integer> APPS = Topology.APPS;
    private static final Path DIR = LauncherProcess.itDir().resolve("redeploy-topology");
    private static final Path APP_WAR = LauncherProcess.distributionDir().resolve("wars/app-war.war");
    private static final String START_TIME = "Catalina:j2eeType=WebModule,name=//localhost/,J2EEApplication=none,"
            + "J2EEServer=none";
    private static final HttpClient HTTP_CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Topology topology;
    private static SSLContext tls;

    @BeforeAll
    static void startTopology() throws Exception {
        Files.createDirectories(DIR);
        topology = Topology.start("redeploy-topology", Map.of("TIERLINE_JAVA_OPTS", "-Xmx256m"));
        tls = Keystore.existing(topology.runDir.resolve("tls")).trustingIt();
    }

    @AfterAll
    static void stopTopology() throws Exception {
        Topology.stop(topology);
    }

    private static String app(int index) {
        return "app-" + APPS.get(index);
    }

    /** Runs {@code tierline redeploy war} and returns its exit status; its output is in {@code log}. */
    private static int redeploy(Path war, Path log, Map<String, String> env) throws Exception {
        Map<String, String> all = new HashMap<>(Topology.environment(topology.runDir));
        all.putAll(env);
        Process process = LauncherProcess.launcher(all, log, "redeploy", war.toString());
        return LauncherProcess.awaitExit(process, COMMAND_TIMEOUT);
    }

    /**
     * When the web tier's audit log says {@code instance} was drained, and when it last probed it before
     * enabling it again, in epoch milliseconds: the web tier's own record, rather than when this test happened
     * to read the command's output.
     */
    private static long[] outOfRotation(String instance, long since) throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(tls).connectTimeout(TIMEOUT).build();
        HttpResponse<String> audit = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + HTTPS
                + "/_admin/api/audit")).timeout(TIMEOUT)
                .header("Authorization", Topology.adminAuthorization(topology.runDir)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, audit.statusCode(), audit.body());
        String target = "app/127.0.0.1:" + instance.substring("app-".length());
        long drained = -1;
        long probed = -1;
        List<JsonNode> entries = new ArrayList<>();
        JSON.readTree(audit.body()).forEach(entries::add);
        java.util.Collections.reverse(entries);
        for (JsonNode entry : entries) {
            long time = java.time.Instant.parse(entry.get("time").stringValue()).toEpochMilli();
            String action = entry.get("action").stringValue();
            if (time < since || !entry.get("target").stringValue().equals(target)) {
                continue;
            }
            if (action.equals("drain") && drained < 0) {
                drained = time;
            } else if (action.equals("probe") && drained >= 0) {
                probed = time;
            } else if (action.equals("enable") && drained >= 0) {
                break;
            }
        }
        assertTrue(drained >= 0 && probed >= drained, "no drain and probe of " + target + " in " + audit.body());
        return new long[] {drained, probed};
    }

    @Test
    void redeployUnderLoad_takesOneInstanceAtATimeOutOfRotation_andLosesNoRequest() throws Exception {
        Map<Integer, Long> startedBefore = new HashMap<>();
        for (int app : APPS) {
            startedBefore.put(app, startTime(app));
        }
        Path log = DIR.resolve("under-load.log");
        long start = System.currentTimeMillis();
        int exit;
        int whileRedeploying;
        List<Load.Answer> answers;
        try (Load load = new Load()) {
            load.awaitAnswers(200);
            int before = load.answers.size();
            exit = redeploy(APP_WAR, log, Map.of());
            whileRedeploying = load.answers.size() - before;
            assertTrue(load.running(), "the load outlasted the redeploy");
            load.awaitAnswers(load.answers.size() + 200);
            answers = load.stop();
        }

        String output = Files.readString(log);
        assertEquals(0, exit, output);
        for (int index = 0; index < APPS.size(); index++) {
            assertInOrder(output, app(index) + ": draining (in flight ", app(index) + ": in flight 0",
                    app(index) + ": deployed app-war.war", app(index) + ": healthy", app(index) + ": enabled");
        }
        assertTrue(output.indexOf(app(0) + ": enabled") < output.indexOf(app(1) + ": draining"),
                "one instance at a time:\n" + output);
        assertTrue(whileRedeploying > 100, whileRedeploying + " requests while redeploying");
        assertEquals(List.of(), answers.stream().filter(answer -> answer.status() != 200).toList(),
                "no request failed, of " + answers.size());
        for (int index = 0; index < APPS.size(); index++) {
            String instance = app(index);
            long[] out = outOfRotation(instance, start);
            // A request sent just before the enable may be chosen just after it: those of the last 200 ms before
            // the last probe are left out.
            List<String> servedMeanwhile = answers.stream().filter(answer -> answer.instance() != null
                    && answer.sent() > out[0] && answer.sent() < out[1] - 200).map(Load.Answer::instance).toList();
            assertFalse(servedMeanwhile.isEmpty(), "the load went on while " + instance + " was out");
            assertFalse(servedMeanwhile.contains(instance), instance + " got requests sent after it was drained and"
                    + " before it was healthy again: " + servedMeanwhile.size());
        }
        for (int index = 0; index < APPS.size(); index++) {
            int app = APPS.get(index);
            assertTrue(startTime(app) > startedBefore.get(app), app(index) + " started again");
            assertDescriptorStillApplies(app);
        }
        assertBothEnabled();
    }

    @Test
    void aWarThatCannotStart_stopsTheRedeploy_leavingItsInstanceDrainingWhileTheOtherServes() throws Exception {
        Path broken = zip(DIR.resolve("broken-webapp.war"), "WEB-INF/web.xml", "<web-app");
        Path log = DIR.resolve("broken-webapp.log");
        try {
            int exit = redeploy(broken, log, Map.of());

            String output = Files.readString(log);
            assertEquals(1, exit, output);
            String last = output.strip().lines().reduce((first, second) -> second).orElse("");
            assertTrue(last.startsWith("tierline: " + app(0) + ": deploying broken-webapp.war failed: FAIL - "), last);
            assertTrue(last.contains(app(0) + " is left draining"), last);
            assertFalse(output.contains(app(0) + ": enabled"), output);
            assertFalse(output.contains(app(1) + ": draining"), output);
            assertEquals("draining", backend(app(0)).get("adminState").stringValue());
            assertEquals("healthy", backend(app(1)).get("state").stringValue());
            for (int i = 0; i < 10; i++) {
                assertEquals(app(1), JSON.readTree(HTTP_CLIENT.send(whoami(), HttpResponse.BodyHandlers.ofString())
                        .body()).get("instance").stringValue(), "the web tier sends everything to the other");
            }
        } finally {
            // The good WAR again brings the instance left draining back: both end enabled.
            Path again = DIR.resolve("after-broken-webapp.log");
            assertEquals(0, redeploy(APP_WAR, again, Map.of()), Files.readString(again));
        }
        assertBothEnabled();
        assertDescriptorStillApplies(APPS.get(0));
    }

    @Test
    void aWrongDeployerPassword_isFoundBeforeAnythingChanges() throws Exception {
        Path log = DIR.resolve("wrong-password.log");

        int exit = redeploy(APP_WAR, log, Map.of("TIERLINE_DEPLOYER_USER", "deployer",
                "TIERLINE_DEPLOYER_PASSWORD", "not-the-password"));

        assertEquals(2, exit);
        assertEquals(List.of("tierline: " + app(0) + ": the Manager refused the deployer's user or password (401);"
                + " nothing was changed"), Files.readString(log).lines().toList());
        assertBothEnabled();
    }

    @Test
    void aFileThatIsNotAWar_isFoundBeforeAnythingChanges() throws Exception {
        Path text = Files.writeString(DIR.resolve("broken.war"), "not a zip\n");
        Path log = DIR.resolve("not-a-war.log");

        int exit = redeploy(text, log, Map.of());

        assertEquals(2, exit);
        assertEquals(List.of("tierline: " + text + " is not a WAR: it is not a zip file"),
                Files.readString(log).lines().toList());
        assertBothEnabled();
    }

    private static HttpRequest whoami() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP + "/api/whoami")).timeout(TIMEOUT).build();
    }

    /** When the instance's ROOT application last started, from its Manager's JMX proxy. */
    private static long startTime(int app) throws Exception {
        HttpResponse<String> response = HTTP_CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + Topology.managerPort(app) + "/manager/jmxproxy/?get=" + URLEncoder.encode(START_TIME,
                        StandardCharsets.UTF_8) + "&att=startTime")).timeout(TIMEOUT)
                .header("Authorization", Topology.deployerAuthorization(topology.runDir)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        String body = response.body().strip();
        assertTrue(body.startsWith("OK - Attribute get") && body.contains(" - startTime = "), body);
        return Long.parseLong(body.substring(body.indexOf(" - startTime = ") + " - startTime = ".length()));
    }

    /** tomcat-conf's ROOT.xml still gives the application its parameters: its instance name and test endpoints. */
    private static void assertDescriptorStillApplies(int app) throws Exception {
        HttpResponse<String> whoami = HTTP_CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app
                + "/api/whoami")).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, whoami.statusCode());
        assertEquals("app-" + app, JSON.readTree(whoami.body()).get("instance").stringValue());
        assertEquals(200, HTTP_CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app
                + "/api/test/echo")).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.discarding()).statusCode(),
                "the test endpoints, on only by ROOT.xml's parameter");
    }

    private static void assertBothEnabled() throws Exception {
        for (int index = 0; index < APPS.size(); index++) {
            JsonNode backend = backend(app(index));
            assertEquals("enabled", backend.get("adminState").stringValue(), backend.toString());
            assertEquals("healthy", backend.get("state").stringValue(), backend.toString());
        }
    }

    /** The backend as the admin API shows it, in the only cluster of the run command's configuration. */
    private static JsonNode backend(String instance) throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(tls).connectTimeout(TIMEOUT).build();
        HttpResponse<String> status = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + HTTPS
                + "/_admin/api/status")).timeout(TIMEOUT)
                .header("Authorization", Topology.adminAuthorization(topology.runDir)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, status.statusCode(), status.body());
        for (JsonNode backend : JSON.readTree(status.body()).get("clusters").get(0).get("backends")) {
            if (backend.get("url").stringValue().endsWith(":" + instance.substring("app-".length()))) {
                return backend;
            }
        }
        throw new AssertionError("no backend for " + instance + " in " + status.body());
    }

    private static void assertInOrder(String output, String... fragments) {
        int at = 0;
        for (String fragment : fragments) {
            int found = output.indexOf(fragment, at);
            assertTrue(found >= 0, "'" + fragment + "' after position " + at + " in:\n" + output);
            at = found + fragment.length();
        }
    }

    private static Path zip(Path file, String entry, String content) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }

    /**
     * GETs through the web tier from a few clients, each paced so that a few thousand requests span the whole
     * redeploy; half of them ask for slow answers, so that an instance being drained has requests in flight to
     * wait for. Each answer is kept with when it was sent and, for /api/whoami, which instance gave it.
     */
    private static final class Load implements AutoCloseable {

        /** @param sent when it was sent, in epoch milliseconds, to compare with the audit log's times */
        record Answer(long sent, int status, String instance) {
        }

        private static final int CLIENTS = 4;
        private static final int MAX_REQUESTS_PER_CLIENT = 4000;
        private static final Duration PACE = Duration.ofMillis(5);
        private static final Duration MAX_LOAD = Duration.ofSeconds(90);

        final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger clientsDone = new AtomicInteger();
        private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        private final List<Future<?>> running = new ArrayList<>();

        Load() {
            long deadline = System.nanoTime() + MAX_LOAD.toNanos();
            for (int i = 0; i < CLIENTS; i++) {
                String path = i % 2 == 0 ? "/api/whoami" : "/api/test/delay?ms=1000";
                URI uri = URI.create("http://127.0.0.1:" + HTTP + path);
                running.add(clients.submit(() -> run(uri, deadline)));
            }
        }

        private void run(URI uri, long deadline) {
            try {
                for (int n = 0; n < MAX_REQUESTS_PER_CLIENT && !stop.get() && System.nanoTime() - deadline < 0; n++) {
                    answers.add(get(uri));
                    Thread.sleep(PACE.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                clientsDone.incrementAndGet();
            }
        }

        private static Answer get(URI uri) throws InterruptedException {
            long sent = System.currentTimeMillis();
            try {
                HttpResponse<String> response = HTTP_CLIENT.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString());
                String instance = response.statusCode() == 200 && uri.getPath().equals("/api/whoami")
                        ? JSON.readTree(response.body()).get("instance").stringValue() : null;
                return new Answer(sent, response.statusCode(), instance);
            } catch (IOException e) {
                return new Answer(sent, 0, null);
            }
        }

        /** Whether every client still runs: none has reached its limit of requests or time. */
        boolean running() {
            return clientsDone.get() == 0;
        }

        void awaitAnswers(int atLeast) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (answers.size() < atLeast) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("only " + answers.size() + " answers within 30 s");
                }
                Thread.sleep(50);
            }
        }

        /** Stops the clients, and returns every answer they got. */
        List<Answer> stop() throws Exception {
            stop.set(true);
            for (Future<?> client : running) {
                client.get(60, TimeUnit.SECONDS);
            }
            return List.copyOf(answers);
        }

        @Override
        public void close() {
            stop.set(true);
            clients.shutdownNow();
        }
    }
}
