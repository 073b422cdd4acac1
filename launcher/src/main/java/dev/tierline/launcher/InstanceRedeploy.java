package dev.tierline.launcher;

import dev.tierline.launcher.AdminApiClient.Backend;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One app instance's turn in a rolling redeploy: drained in every cluster that lists it, deployed through its
 * own Manager once no request is in flight, probed until healthy, and enabled again. It stops at the first
 * failure, and never enables an instance whose deployment failed.
 */
final class InstanceRedeploy {

    /** Where the instance stands: what a failure leaves behind. */
    enum Standing { UNTOUCHED, DRAINING, ENABLED }

    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    /** Each health check costs the web tier a probe and a password check (PBKDF2): not too often. */
    private static final Duration HEALTH_POLL = Duration.ofMillis(500);

    private final String name;
    private final int port;
    private final List<Backend> backends;
    private final AdminApiClient admin;
    private final ManagerClient manager;
    private final RedeployCommand.Options options;
    private final PrintStream out;
    /** For the instance's own health check: plain HTTP/1.1 on loopback, as the web tier's probe asks. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private Standing standing = Standing.UNTOUCHED;
    private String step = "starting";
    private int lastInFlight;

    /**
     * @param backends the instance in each cluster that lists it
     * @param manager the instance's own Manager
     */
    InstanceRedeploy(int port, List<Backend> backends, AdminApiClient admin, ManagerClient manager,
            RedeployCommand.Options options, PrintStream out) {
        this.name = Settings.instanceName(port);
        this.port = port;
        this.backends = List.copyOf(backends);
        this.admin = admin;
        this.manager = manager;
        this.options = options;
        this.out = out;
    }

    String name() {
        return name;
    }

    Standing standing() {
        return standing;
    }

    /** Whether the web tier sends it requests, as the status it was made from said. */
    boolean serves() {
        return backends.stream().anyMatch(backend -> backend.state().equals("healthy"));
    }

    /** What it was doing when it stopped, such as "deploying app-war.war". */
    String step() {
        return step;
    }

    void run(Path war) {
        step = "draining";
        drain();
        step = "waiting for its requests in flight";
        awaitIdle();
        step = "deploying " + war.getFileName();
        manager.deploy(war, "/");
        print("deployed " + war.getFileName());
        step = "waiting until it is healthy";
        awaitHealthy();
        print("healthy");
        step = "enabling it";
        enable();
        print("enabled");
    }

    private void drain() {
        if (backends.isEmpty()) {
            print("no cluster of the web tier lists it; deploying without draining");
            return;
        }
        List<Backend> now = admin.status();
        for (Backend backend : backends) {
            boolean serves = current(now, backend).state().equals("healthy");
            boolean othersServe = now.stream().anyMatch(other -> other.cluster().equals(backend.cluster())
                    && !other.id().equals(backend.id()) && other.state().equals("healthy"));
            if (serves && !othersServe) {
                throw new LauncherException("no other backend of cluster '" + backend.cluster() + "' is healthy,"
                        + " so draining it would leave the cluster nothing to send requests to");
            }
        }
        int inFlight = 0;
        for (Backend backend : backends) {
            inFlight += admin.operate(backend, "drain").inFlight();
            standing = Standing.DRAINING;
        }
        print("draining (in flight " + inFlight + ")");
        lastInFlight = inFlight;
    }

    /** Prints the requests in flight as they fall, and 0 once they are done. */
    private void awaitIdle() {
        boolean idle = Poll.until(options.drainTimeout(), IDLE_POLL, () -> {
            List<Backend> now = admin.status();
            int inFlight = backends.stream().mapToInt(backend -> current(now, backend).inFlight()).sum();
            if (inFlight != lastInFlight && inFlight != 0) {
                print("in flight " + inFlight);
            }
            lastInFlight = inFlight;
            return inFlight == 0;
        });
        if (!idle) {
            throw new LauncherException("still " + lastInFlight + " requests in flight after "
                    + options.drainTimeout().toSeconds() + " s (TIERLINE_REDEPLOY_DRAIN_TIMEOUT)");
        }
        print("in flight 0");
    }

    /**
     * Healthy in the web tier's eyes where its cluster probes (the admin API's {@code health}, which a drained
     * backend keeps showing); where none does, healthy when the instance itself answers its health check.
     */
    private void awaitHealthy() {
        boolean healthy = Poll.until(options.healthTimeout(), HEALTH_POLL, () -> {
            boolean unprobed = backends.isEmpty();
            for (Backend backend : backends) {
                Optional<Backend> probed = admin.probe(backend);
                if (probed.isEmpty()) {
                    unprobed = true;
                } else if (!probed.get().health().equals("healthy")) {
                    return false;
                }
            }
            return !unprobed || answersHealthCheck();
        });
        if (!healthy) {
            throw new LauncherException("not healthy within " + options.healthTimeout().toSeconds()
                    + " s (TIERLINE_REDEPLOY_HEALTH_TIMEOUT)");
        }
    }

    private void enable() {
        List<Backend> enabled = new ArrayList<>();
        for (Backend backend : backends) {
            enabled.add(admin.operate(backend, "enable"));
            standing = Standing.ENABLED;
        }
        // Passive health may still hold an ejection against it; the next instance waits until this one serves.
        if (enabled.stream().allMatch(backend -> backend.state().equals("healthy"))) {
            return;
        }
        boolean serves = Poll.until(options.healthTimeout(), HEALTH_POLL, () -> {
            List<Backend> now = admin.status();
            return backends.stream().allMatch(backend -> current(now, backend).state().equals("healthy"));
        });
        if (!serves) {
            throw new LauncherException("enabled, but the web tier still sends it no requests after "
                    + options.healthTimeout().toSeconds() + " s");
        }
    }

    private boolean answersHealthCheck() {
        URI health = URI.create("http://" + Settings.APP_ADDRESS + ":" + port + Settings.APP_HEALTH_PATH);
        try {
            return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted", e);
        }
    }

    private static Backend current(List<Backend> status, Backend backend) {
        return status.stream().filter(candidate -> candidate.cluster().equals(backend.cluster())
                && candidate.id().equals(backend.id())).findFirst().orElseThrow(() -> new LauncherException(
                        "backend '" + backend.id() + "' is no longer in cluster '" + backend.cluster() + "'"));
    }

    private void print(String line) {
        out.println(name + ": " + line);
        out.flush();
    }
}
