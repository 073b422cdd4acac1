package dev.tierline.proxy.health;

import dev.tierline.proxy.config.Backend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Sends active health probes: every few hundred milliseconds it looks for backends whose next probe is due,
 * among those the running configuration probes (so a reload's clusters are probed from then on), and sends
 * them; each backend's health counts the results.
 */
public final class HealthProber implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(250);

    /** Sends one probe; the forwarder's HTTP client does, with the probe's own timeouts. */
    @FunctionalInterface
    public interface Probe {

        /** GETs {@code path} on {@code backend}; reports the response's status, or 0 when none came in time. */
        void send(Backend backend, String path, Duration timeout, IntConsumer status);
    }

    private final Supplier<List<ProbeTarget>> targets;
    private final Probe probe;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tierline-health-probes");
        thread.setDaemon(true);
        return thread;
    });

    /** @param targets the backends to probe now */
    public HealthProber(Supplier<List<ProbeTarget>> targets, Probe probe) {
        this.targets = targets;
        this.probe = probe;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::probeDue, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probeDue() {
        for (ProbeTarget target : targets.get()) {
            if (target.health().claimProbe(target.rules())) {
                probe(target, probe, status -> { });
            }
        }
    }

    /**
     * Probes one backend, now, and counts the result in its health.
     *
     * @param reported told the probe's status (0 when none came in time) once it is counted
     */
    public static void probe(ProbeTarget target, Probe probe, IntConsumer reported) {
        probe.send(target.backend(), target.rules().path(), target.rules().timeout(), status -> {
            target.health().probed(passes(status), target.rules());
            reported.accept(status);
        });
    }

    /** A probe passes with any 2xx or 3xx answer; a redirect is an answer, and it is not followed. */
    public static boolean passes(int status) {
        return status >= 200 && status < 400;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
