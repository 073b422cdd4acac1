package dev.tierline.proxy.balance;

import dev.tierline.proxy.config.AdminState;
import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.health.BackendHealth;
import dev.tierline.proxy.health.Panic;
import dev.tierline.proxy.metrics.BackendStats;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A backend at runtime, as its cluster balances over it: its weight, its requests in flight, what the
 * operator decided for it, its health and its statistics, all kept across reloads.
 */
public final class BackendState implements Member, Panic.Candidate {

    private static final Logger LOG = Logger.getLogger(BackendState.class.getName());

    private final Backend backend;
    private final BackendHealth health;
    private final BackendStats stats;
    private volatile int configuredWeight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile AdminState adminState = AdminState.ENABLED;
    /** The instance's jvmRoute, the suffix of its Tomcat session ids; its id unless configured. */
    private volatile String route;

    public BackendState(Backend backend, int configuredWeight, BackendHealth health, BackendStats stats) {
        this.backend = backend;
        this.health = health;
        this.stats = stats;
        this.route = backend.id();
        setWeight(configuredWeight);
    }

    /** Takes a reloaded configuration's weight, keeping requests in flight and health. */
    public void setWeight(int weight) {
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1: " + weight);
        }
        this.configuredWeight = weight;
    }

    public String route() {
        return route;
    }

    public void setRoute(String route) {
        this.route = route;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    public BackendHealth health() {
        return health;
    }

    /** Its attempts: how many, how they ended, how long they took. */
    public BackendStats stats() {
        return stats;
    }

    /** The weight the configuration gives it, or an operator set since. */
    public int configuredWeight() {
        return configuredWeight;
    }

    /** The configured weight, lowered while the backend warms up after coming back (slow start). */
    @Override
    public double weight() {
        return configuredWeight * health.weightShare();
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    public AdminState adminState() {
        return adminState;
    }

    /** Enables, drains or disables the backend; a draining one finishes what it has and gets nothing new. */
    public void setAdminState(AdminState state) {
        if (adminState != state) {
            LOG.info("Backend " + backend + " is now " + state.name().toLowerCase(Locale.ROOT));
            adminState = state;
        }
    }

    /** Whether new requests may go to this backend now. */
    @Override
    public boolean available() {
        return adminState == AdminState.ENABLED && health.healthy();
    }

    @Override
    public boolean enabled() {
        return adminState == AdminState.ENABLED;
    }

    /** A request was handed to this backend; {@link #finished()} must follow once its attempt is over. */
    void started() {
        inFlight.incrementAndGet();
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    @Override
    public String toString() {
        return backend.id();
    }
}
