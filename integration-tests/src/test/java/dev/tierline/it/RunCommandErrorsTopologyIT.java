package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad use of the run command gets one clear line and exit status 2, never a stack trace; the check command
 * lists what is wrong with a configuration file, one line each, and exits 1.
 */
class RunCommandErrorsTopologyIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path DIR = LauncherProcess.itDir().resolve("run-command-errors");

    /** Runs the launcher and returns its whole output, asserting it failed with status 2. */
    private static String failingRun(String name, Map<String, String> env) throws Exception {
        Path log = DIR.resolve(name + ".log");
        Process process = LauncherProcess.launcher(env, log, "run");
        assertEquals(2, LauncherProcess.awaitExit(process, TIMEOUT), Files.readString(log));
        return Files.readString(log);
    }

    private static void assertOneLine(String output, String... fragments) {
        List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        assertEquals(1, lines.size(), "expected one line, got:\n" + output);
        assertTrue(lines.get(0).startsWith("tierline: "), lines.get(0));
        for (String fragment : fragments) {
            assertTrue(lines.get(0).contains(fragment), lines.get(0));
        }
    }

    @Test
    void portAlreadyInUse_isReportedInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String port = Integer.toString(taken.getLocalPort());

            String output = failingRun("port-in-use", Map.of(
                    "TIERLINE_RUN_DIR", DIR.resolve("run").toString(),
                    "TIERLINE_HTTP_PORT", port));

            assertOneLine(output, "port " + port, "already in use", "TIERLINE_HTTP_PORT");
        }
    }

    @Test
    void missingCredentialsFile_isReportedInOneLine() throws Exception {
        Path missing = DIR.resolve("no-such-credentials.properties");

        String output = failingRun("missing-credentials", Map.of(
                "TIERLINE_RUN_DIR", DIR.resolve("run").toString(),
                "TIERLINE_HTTP_PORT", "18980",
                "TIERLINE_HTTPS_PORT", "18981",
                "TIERLINE_APP_PORTS", "18982,18983",
                "TIERLINE_CREDENTIALS_FILE", missing.toString()));

        assertOneLine(output, missing.toString(), "does not exist");
    }

    @Test
    void jdkOlderThan17_isReportedInOneLine() throws Exception {
        // A stand-in for an old JDK: it answers -XshowSettings the way Java 11 does.
        Path oldJdk = DIR.resolve("jdk-11");
        Files.createDirectories(oldJdk.resolve("bin"));
        Path java = oldJdk.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho '    java.specification.version = 11' >&2\n"
                + "echo 'openjdk version \"11.0.2\"' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path script = Path.of(System.getProperty("tierline.project.dir"), "tierline");
        Path log = DIR.resolve("old-jdk.log");

        Process process = LauncherProcess.start(List.of("bash", script.toString(), "run"),
                Map.of("JAVA_HOME", oldJdk.toString()), log);

        assertEquals(2, LauncherProcess.awaitExit(process, TIMEOUT));
        assertOneLine(Files.readString(log), "Java 11", "JDK 17 or newer");
    }

    @Test
    void checkCommand_listsEveryProblemWithItsJsonPath_andExits1() throws Exception {
        Path file = DIR.resolve("invalid.json");

        List<String> output = check(file, 1, "{\"routes\": [{\"path\": \"api\", \"cluster\": \"app\"}],"
                + " \"clusters\": {\"app\": {\"backends\": [{\"url\": \"http://127.0.0.1:5000\", \"weight\": 0}]}}}");

        assertEquals(List.of(file + ": clusters.app.backends[0].weight: must be a whole number from 1 to 1000",
                file + ": routes[0].path: not a path prefix starting with one '/': 'api'"), output);
    }

    @Test
    void checkCommand_acceptsAValidFile() throws Exception {
        Path file = DIR.resolve("valid.json");

        List<String> output = check(file, 0, "{\"routes\": [{\"path\": \"/\", \"cluster\": \"app\"}],"
                + " \"clusters\": {\"app\": {\"backends\": [{\"url\": \"http://127.0.0.1:5000\"}]}}}");

        assertEquals(List.of(file + ": valid"), output);
    }

    /** Writes {@code json} to {@code file}, runs {@code tierline check} on it and returns its output lines. */
    private static List<String> check(Path file, int expectedStatus, String json) throws Exception {
        Files.createDirectories(DIR);
        Files.writeString(file, json);
        Path log = DIR.resolve("check-" + file.getFileName() + ".log");
        Process process = LauncherProcess.launcher(Map.of(), log, "check", file.toString());
        assertEquals(expectedStatus, LauncherProcess.awaitExit(process, TIMEOUT), Files.readString(log));
        return Files.readString(log).lines().toList();
    }
}
