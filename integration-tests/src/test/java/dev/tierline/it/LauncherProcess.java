package dev.tierline.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The run command's launcher, started as a separate process the way the tierline script starts it. */
final class LauncherProcess {

    static Path distributionDir() {
        return Path.of(System.getProperty("tierline.distribution.dir"));
    }

    static Path itDir() {
        return Path.of(System.getProperty("tierline.it.dir"));
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Starts {@code command} with the given TIERLINE_* variables (and no others, nor an inherited JAVA_HOME),
     * its output in {@code log}.
     */
    static Process start(List<String> command, Map<String, String> tierlineEnv, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("TIERLINE_") || name.equals("JAVA_HOME"));
        builder.environment().putAll(tierlineEnv);
        Files.createDirectories(log.getParent());
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return builder.start();
    }

    /** Starts the launcher jar with {@code args}. */
    static Process launcher(Map<String, String> tierlineEnv, Path log, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(java(), "-jar",
                distributionDir().resolve("tierline-launcher.jar").toString()));
        command.addAll(List.of(args));
        return start(command, tierlineEnv, log);
    }

    /** Waits, at most {@code timeout}, until {@code log} contains {@code text}; fails if the process ends first. */
    static void awaitOutput(Process process, Path log, String text, Duration timeout)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("The launcher ended (" + process.exitValue() + ") before printing '" + text
                        + "':\n" + Files.readString(log));
            }
            Thread.sleep(250);
        }
        throw new AssertionError("No '" + text + "' within " + timeout + ":\n" + Files.readString(log));
    }

    /** Waits for the process to end, at most {@code timeout}, killing it if it does not. */
    static int awaitExit(Process process, Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("The process did not end within " + timeout);
        }
        return process.exitValue();
    }

    private LauncherProcess() {
    }
}
