package dev.tierline.proxy.balance;

import dev.tierline.proxy.config.Backend;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * A backend at runtime: what the balancer and the health rules know of it. Passive health ejects it after
 * consecutive failed attempts, or a failure rate within a window, for a period that doubles with each
 * ejection in a row; when it comes back it
 * takes a growing share of requests (slow start). Every change is logged.
 */
public final class BackendState implements Member {

    private static final Logger LOG = Logger.getLogger(BackendState.class.getName());
    /** During slow start a backend's weight grows from this share of its own to all of it. */
    static final double SLOW_START_FLOOR = 0.1;

    private final Backend backend;
    private volatile int configuredWeight;
    private volatile HealthRules rules;
    private final LongSupplier nanoTime;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile AdminState adminState = AdminState.ENABLED;
    /** The instance's jvmRoute, the suffix of its Tomcat session ids; its id unless configured. */
    private volatile String route;
    /** While {@link System#nanoTime()} is before this, the backend is ejected. */
    private volatile long ejectedUntil;
    private volatile boolean ejected;
    /** Ejections in a row, without a success in between: the next one lasts 2^ejections times longer. */
    private volatile int ejections;
    /** When the backend last came back (from an ejection), for slow start; 0 when it never left. */
    private volatile long returnedAt;
    /** What active probes say; healthy until they say otherwise, so a backend serves before its first probe. */
    private volatile boolean probedHealthy = true;
    private int probesInARow;
    private volatile long nextProbeAt;
    /** The failure-rate window: when it began, and its attempts and failures so far (guarded by this). */
    private long windowStart;
    private int windowAttempts;
    private int windowFailures;
    private final AtomicBoolean probing = new AtomicBoolean();

    public BackendState(Backend backend, int configuredWeight, HealthRules rules, LongSupplier nanoTime) {
        if (configuredWeight < 1) {
            throw new IllegalArgumentException("weight must be at least 1: " + configuredWeight);
        }
        this.backend = backend;
        this.configuredWeight = configuredWeight;
        this.rules = rules;
        this.nanoTime = nanoTime;
        this.route = backend.id();
    }

    /**
     * Takes a reloaded configuration's weight and rules, keeping what is known of the backend: requests in
     * flight, failures, ejection and slow start.
     */
    public void reconfigure(int weight, HealthRules newRules) {
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1: " + weight);
        }
        this.configuredWeight = weight;
        this.rules = newRules;
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

    @Override
    public double weight() {
        long since = returnedAt;
        long slowStart = rules.slowStart().toNanos();
        if (since == 0 || slowStart == 0) {
            return configuredWeight;
        }
        long elapsed = nanoTime.getAsLong() - since;
        if (elapsed >= slowStart) {
            return configuredWeight;
        }
        double share = Math.max(SLOW_START_FLOOR, (double) Math.max(0, elapsed) / slowStart);
        return configuredWeight * share;
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
            LOG.info("Backend " + backend + " is now " + state.name().toLowerCase(java.util.Locale.ROOT));
            adminState = state;
        }
    }

    /** Whether new requests may go to this backend now. */
    public boolean available() {
        return adminState == AdminState.ENABLED && probedHealthy && !isEjected();
    }

    /** Whether active probes have taken the backend out. */
    public boolean failsProbes() {
        return !probedHealthy;
    }

    /**
     * Claims the next probe of this backend when it is due; the caller then reports it to {@link #probed}.
     * At most one probe is in flight per backend.
     */
    public boolean claimProbe(ProbeRules probe) {
        long now = nanoTime.getAsLong();
        if (now - nextProbeAt < 0 || !probing.compareAndSet(false, true)) {
            return false;
        }
        nextProbeAt = now + probe.interval().toNanos();
        return true;
    }

    /** A probe's result: a run of failures takes the backend out, a run of successes brings it back. */
    public synchronized void probed(boolean healthy, ProbeRules probe) {
        probing.set(false);
        if (healthy == probedHealthy) {
            probesInARow = 0;
            return;
        }
        probesInARow++;
        if (healthy && probesInARow >= probe.healthyThreshold()) {
            probedHealthy = true;
            probesInARow = 0;
            // Back: whatever passive health held against it is forgiven, and it warms up.
            ejected = false;
            ejections = 0;
            consecutiveFailures.set(0);
            returnedAt = nanoTime.getAsLong();
            LOG.info("Backend " + backend + " passed " + probe.healthyThreshold() + " health probes of "
                    + probe.path() + " in a row: back, with slow start over " + rules.slowStart());
        } else if (!healthy && probesInARow >= probe.unhealthyThreshold()) {
            probedHealthy = false;
            probesInARow = 0;
            LOG.warning("Backend " + backend + " failed " + probe.unhealthyThreshold() + " health probes of "
                    + probe.path() + " in a row: out until it passes " + probe.healthyThreshold());
        }
    }

    /** Whether passive health has taken the backend out of rotation for now. */
    public boolean isEjected() {
        if (!ejected) {
            return false;
        }
        if (nanoTime.getAsLong() - ejectedUntil < 0) {
            return true;
        }
        synchronized (this) {
            if (ejected) {
                ejected = false;
                returnedAt = ejectedUntil;
                LOG.info("Backend " + backend + " is back after its ejection, with slow start over "
                        + rules.slowStart());
            }
        }
        return false;
    }

    /** A request was handed to this backend; {@link #finished()} must follow once its attempt is over. */
    void started() {
        inFlight.incrementAndGet();
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    /** The backend answered: its run of failures, and of ejections, is over. */
    void succeeded() {
        consecutiveFailures.set(0);
        if (ejections != 0) {
            synchronized (this) {
                ejections = 0;
            }
        }
        if (rules.failureRate() > 0) {
            countInWindow(false);
        }
    }

    /** The backend failed an attempt (refused, timed out, reset, or answered with something not HTTP). */
    void failed() {
        if (rules.failureRate() > 0 && countInWindow(true)) {
            eject("a failure rate of " + rules.failureRate() + " or more within " + rules.failureRateWindow());
            return;
        }
        if (consecutiveFailures.incrementAndGet() >= rules.consecutiveFailures()) {
            eject(rules.consecutiveFailures() + " failures in a row");
        }
    }

    /** Counts an attempt in the current window; true when the window's failure rate now calls for ejection. */
    private synchronized boolean countInWindow(boolean failure) {
        long now = nanoTime.getAsLong();
        if (windowAttempts == 0 || now - windowStart >= rules.failureRateWindow().toNanos()) {
            windowStart = now;
            windowAttempts = 0;
            windowFailures = 0;
        }
        windowAttempts++;
        if (failure) {
            windowFailures++;
        }
        return failure && windowAttempts >= rules.failureRateMinimum()
                && windowFailures >= rules.failureRate() * windowAttempts;
    }

    private synchronized void eject(String reason) {
        if (ejected) {
            return;
        }
        Duration period = rules.ejectionPeriod(ejections);
        ejections++;
        consecutiveFailures.set(0);
        windowAttempts = 0;
        ejectedUntil = nanoTime.getAsLong() + period.toNanos();
        ejected = true;
        LOG.warning("Backend " + backend + " ejected for " + period + " after " + reason + " (ejection " + ejections
                + " in a row)");
    }

    @Override
    public String toString() {
        return backend.id();
    }
}
