package dev.tierline.proxy.web;

import dev.tierline.proxy.balance.BackendState;
import dev.tierline.proxy.balance.Cluster;
import dev.tierline.proxy.balance.ProbeRules;
import dev.tierline.proxy.forward.UpstreamClient;
import dev.tierline.proxy.route.Router;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends each cluster's active health probes: every few hundred milliseconds it looks for backends whose
 * next probe is due, in the routes running now (so a reload's clusters are probed from then on), and
 * sends them; the backend's state counts the results.
 */
final class HealthProber implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(250);

    private final Supplier<Router> router;
    private final UpstreamClient client;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tierline-health-probes");
        thread.setDaemon(true);
        return thread;
    });

    HealthProber(Supplier<Router> router, UpstreamClient client) {
        this.router = router;
        this.client = client;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::probeDue, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probeDue() {
        for (Cluster cluster : router.get().clusters()) {
            if (cluster.probe().isEmpty()) {
                continue;
            }
            ProbeRules probe = cluster.probe().get();
            for (BackendState member : cluster.members()) {
                if (member.claimProbe(probe)) {
                    client.probe(member.backend(), probe.path(), probe.timeout(), healthy -> member.probed(healthy, probe));
                }
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
