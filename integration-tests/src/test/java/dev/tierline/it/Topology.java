package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The run command's topology, started by the launcher as a user starts it, on the topology execution's
 * ports, with the app's test endpoints on; one per test class, each in a run folder of its own.
 */
final class Topology {

    static final int HTTP = Integer.getInteger("tierline.it.httpPort");
    static final int HTTPS = Integer.getInteger("tierline.it.httpsPort");
    static final List<Integer> APPS = java.util.Arrays.stream(
            System.getProperty("tierline.it.appPorts").split(",")).map(Integer::valueOf).toList();

    final Path runDir;
    final Path log;
    final Process launcher;

    private Topology(Path runDir, Path log, Process launcher) {
        this.runDir = runDir;
        this.log = log;
        this.launcher = launcher;
    }

    /**
     * Starts the topology named {@code name} (its run folder and launcher log are named after it) with
     * {@code env} added to the usual TIERLINE_* variables, and waits until it is up.
     */
    static Topology start(String name, Map<String, String> env) throws Exception {
        return start(name, env, "run");
    }

    /** As {@link #start(String, Map)}, with the launcher's own arguments ({@code run --embedded}, say). */
    static Topology start(String name, Map<String, String> env, String... arguments) throws Exception {
        Path runDir = LauncherProcess.itDir().resolve(name + "-run");
        Path log = LauncherProcess.itDir().resolve(name + "-launcher.log");
        Map<String, String> all = environment(runDir);
        all.put("TIERLINE_TEST_ENDPOINTS", "true");
        all.putAll(env);
        Process launcher = LauncherProcess.launcher(all, log, arguments);
        LauncherProcess.awaitOutput(launcher, log, "Press Ctrl-C to stop.", Duration.ofMinutes(3));
        return new Topology(runDir, log, launcher);
    }

    /** The TIERLINE_* variables that make the launcher's commands use {@code runDir} and this execution's ports. */
    static Map<String, String> environment(Path runDir) {
        return new HashMap<>(Map.of(
                "TIERLINE_RUN_DIR", runDir.toString(),
                "TIERLINE_HTTP_PORT", Integer.toString(HTTP),
                "TIERLINE_HTTPS_PORT", Integer.toString(HTTPS),
                "TIERLINE_APP_PORTS", System.getProperty("tierline.it.appPorts")));
    }

    /** The port of the Manager of the app instance on {@code appPort}: the launcher's default offset. */
    static int managerPort(int appPort) {
        return appPort + 100;
    }

    /**
     * An Authorization header value for the admin user the launcher generated in {@code runDir}: the HTML
     * Manager and the admin console.
     */
    static String adminAuthorization(Path runDir) throws java.io.IOException {
        return authorization(runDir.resolve("credentials.properties"));
    }

    /**
     * An Authorization header value for the deployer user the launcher generated in {@code runDir}: the
     * Managers' text interface and JMX proxy.
     */
    static String deployerAuthorization(Path runDir) throws java.io.IOException {
        return authorization(runDir.resolve("deployer.properties"));
    }

    private static String authorization(Path file) throws java.io.IOException {
        java.util.Properties credentials = new java.util.Properties();
        try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(file)) {
            credentials.load(reader);
        }
        return "Basic " + java.util.Base64.getEncoder().encodeToString((credentials.getProperty("user") + ":"
                + credentials.getProperty("password")).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What {@code bench/tls-check} reports of the TLS port on {@code port} (it installs sslscan when missing);
     * fails unless the scan ran and the port passed.
     */
    static String tlsCheck(int port) throws Exception {
        Path script = Path.of(System.getProperty("tierline.root")).resolve("bench/tls-check").toAbsolutePath();
        Process scan = new ProcessBuilder(script.toString(), "127.0.0.1:" + port).redirectErrorStream(true).start();
        String report = new String(scan.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(scan.waitFor(5, TimeUnit.MINUTES),
                "the scan did not end");
        assertEquals(0, scan.exitValue(), report);
        return report;
    }

    /** Stops it as Ctrl-C would, if it still runs; kills what is left after a minute. */
    static void stop(Topology topology) throws Exception {
        if (topology != null && topology.launcher.isAlive()) {
            topology.launcher.destroy();
            LauncherProcess.awaitExit(topology.launcher, Duration.ofSeconds(60));
        }
    }
}
