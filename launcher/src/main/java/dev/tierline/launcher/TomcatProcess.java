package dev.tierline.launcher;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Tomcat of the distribution, started with its own {@code catalina.sh run} in the foreground, so the
 * base's bin/setenv.sh applies exactly as on a hand-made installation. Its console goes to
 * logs/console.log in its CATALINA_BASE.
 */
final class TomcatProcess {

    private final Instance instance;
    private final Process process;

    private TomcatProcess(Instance instance, Process process) {
        this.instance = instance;
        this.process = process;
    }

    static TomcatProcess start(Instance instance, Path tomcatHome, String javaOptions) {
        ProcessBuilder builder = new ProcessBuilder("bash", tomcatHome.resolve("bin/catalina.sh").toString(), "run");
        Map<String, String> env = builder.environment();
        // The clear-text password stays in the launcher; Tomcat gets only its hash.
        env.remove("TIERLINE_ADMIN_PASSWORD");
        env.remove("TIERLINE_VIEWER_PASSWORD");
        env.remove("TIERLINE_DEPLOYER_PASSWORD");
        env.remove("CATALINA_OPTS");
        env.remove("CATALINA_PID");
        env.put("CATALINA_HOME", tomcatHome.toString());
        env.put("CATALINA_BASE", instance.base().toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("JAVA_OPTS", javaOptions);
        env.putAll(instance.properties());
        Path console = instance.base().resolve("logs/console.log");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        try {
            return new TomcatProcess(instance, builder.start());
        } catch (IOException e) {
            throw new LauncherException("cannot start Tomcat for " + instance.name() + ": " + e.getMessage(), e);
        }
    }

    Instance instance() {
        return instance;
    }

    Process process() {
        return process;
    }

    /** Waits until the instance answers HTTP, failing with its console's last line if it dies first. */
    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new LauncherException(instance.name() + " stopped while starting: " + lastError()
                        + " (see " + instance.base().resolve("logs") + ")");
            }
            if (answers(instance.readyUrl())) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LauncherException("interrupted while waiting for " + instance.name(), e);
            }
        }
        throw new LauncherException(instance.name() + " did not answer " + instance.readyUrl() + " within "
                + timeout.toSeconds() + " s (see " + instance.base().resolve("logs") + ")");
    }

    private static boolean answers(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            try {
                return connection.getResponseCode() > 0;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** The last SEVERE line of the console, which names why Tomcat failed, or the last line at all. */
    String lastError() {
        try {
            List<String> lines = Files.readAllLines(instance.base().resolve("logs/console.log"));
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).contains("SEVERE")) {
                    return lines.get(i).strip();
                }
            }
            return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).strip();
        } catch (IOException e) {
            return "no console log";
        }
    }

    /** Asks Tomcat to stop (SIGTERM runs its shutdown hook) and waits; kills it when it takes too long. */
    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
