package dev.tierline.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole topology on the real Tomcat distribution: one Tomcat process per CATALINA_BASE, the app tier
 * and the web tier, until Ctrl-C or SIGTERM stops them all. An app instance that dies is started again, as
 * a service manager would, while the web tier sends its requests to the others; if the web tier dies, or an
 * app instance keeps dying, everything stops.
 */
final class ProcessTopology {

    static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    /** How much longer than its own grace (TIERLINE_SHUTDOWN_GRACE) a Tomcat may take to stop before it is killed. */
    static final Duration STOP_MARGIN = Duration.ofSeconds(10);
    /** An app instance is started again at most this many times in a row within {@link #RESTART_WINDOW}. */
    static final int MAX_RESTARTS = 5;
    static final Duration RESTART_WINDOW = Duration.ofMinutes(1);

    private final List<TomcatProcess> processes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile Duration stopGrace = Duration.ofSeconds(30);
    private final PrintStream out;

    ProcessTopology(PrintStream out) {
        this.out = out;
    }

    /** Starts everything, prints where it is, and returns only when it has all stopped. */
    int run(Settings settings, Distribution distribution) {
        Ports.requireFree(settings, true);
        stopGrace = settings.shutdownGrace().plus(STOP_MARGIN);
        Prepared prepared = Prepared.prepare(settings, distribution);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "tierline-stop"));
        try {
            for (Instance instance : prepared.instances()) {
                processes.add(TomcatProcess.start(instance, distribution.tomcatHome(), settings.javaOptions()));
            }
            for (TomcatProcess process : List.copyOf(processes)) {
                process.awaitReady(START_TIMEOUT);
            }
            Banner.print(out, settings, prepared.credentials(), java.util.Optional.of(prepared),
                    "Tomcat " + distribution.tomcatVersion() + " distribution");
            List<Instant> restarts = new ArrayList<>();
            while (true) {
                TomcatProcess ended = firstToEnd();
                if (stopping.get()) {
                    return 0;
                }
                Instant now = Instant.now();
                restarts.removeIf(at -> at.isBefore(now.minus(RESTART_WINDOW)));
                if (ended.instance().name().equals("web") || restarts.size() >= MAX_RESTARTS) {
                    throw new LauncherException(ended.instance().name() + " stopped unexpectedly: " + ended.lastError()
                            + " (see " + ended.instance().base().resolve("logs") + ")");
                }
                restarts.add(now);
                out.println(ended.instance().name() + " stopped unexpectedly (exit " + ended.process().exitValue()
                        + "); starting it again");
                out.flush();
                TomcatProcess again = TomcatProcess.start(ended.instance(), distribution.tomcatHome(),
                        settings.javaOptions());
                processes.set(processes.indexOf(ended), again);
                if (stopping.get()) {
                    again.stop(stopGrace);
                    return 0;
                }
                again.awaitReady(START_TIMEOUT);
                out.println(ended.instance().name() + " is up again");
                out.flush();
            }
        } catch (LauncherException e) {
            if (stopping.get()) {
                return 0;
            }
            stopAll();
            throw e;
        }
    }

    private TomcatProcess firstToEnd() {
        List<TomcatProcess> all = List.copyOf(processes);
        CompletableFuture<?>[] exits = all.stream().map(p -> p.process().onExit()).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.anyOf(exits).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return all.stream().filter(p -> !p.process().isAlive()).findFirst().orElse(all.get(0));
    }

    /** Stops the web tier first, so no request reaches an app instance that is going away, then the rest. */
    private void stopAll() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        List<TomcatProcess> all = new ArrayList<>(processes);
        if (all.stream().anyMatch(p -> p.process().isAlive())) {
            out.println("Stopping Tierline...");
        }
        Collections.reverse(all);
        for (TomcatProcess process : all) {
            process.stop(stopGrace);
        }
        out.println("Tierline stopped.");
        out.flush();
    }
}
