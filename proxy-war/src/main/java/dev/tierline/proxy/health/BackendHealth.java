package dev.tierline.proxy.health;

import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.config.HealthRules;
import dev.tierline.proxy.config.ProbeRules;
import dev.tierline.proxy.forward.ForwardOutcome;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * What health knows of one backend. Passive health, fed the outcome of every attempt, ejects it after
 * consecutive failed attempts, or a failure rate within a window, for a period that doubles with each ejection
 * in a row; active probes take it out and bring it back; when it comes back it takes a growing share of
 * requests (slow start). Every change is logged.
 */
public final class BackendHealth {

    private static final Logger LOG = Logger.getLogger(BackendHealth.class.getName());
    /** During slow start a backend's weight grows from this share of its own to all of it. */
    static final double SLOW_START_FLOOR = 0.1;

    private final Backend backend;
    private final LongSupplier nanoTime;
    private volatile HealthRules rules;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
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
    private final AtomicLong ejectionsTotal = new AtomicLong();

    /** @param nanoTime the clock, {@link System#nanoTime()} but in tests */
    public BackendHealth(Backend backend, HealthRules rules, LongSupplier nanoTime) {
        this.backend = backend;
        this.rules = rules;
        this.nanoTime = nanoTime;
    }

    /** Takes a reloaded configuration's rules, keeping what is known: failures, ejection and slow start. */
    public void reconfigure(HealthRules newRules) {
        this.rules = newRules;
    }

    /** Whether health lets the backend take new requests now: neither ejected nor taken out by probes. */
    public boolean healthy() {
        return probedHealthy && !isEjected();
    }

    /**
     * The share of its weight the backend takes now: all of it, but while it warms up after coming back, when
     * it grows from {@link #SLOW_START_FLOOR} to all over the slow start.
     */
    public double weightShare() {
        long since = returnedAt;
        long slowStart = rules.slowStart().toNanos();
        if (since == 0 || slowStart == 0) {
            return 1;
        }
        long elapsed = nanoTime.getAsLong() - since;
        if (elapsed >= slowStart) {
            return 1;
        }
        return Math.max(SLOW_START_FLOOR, (double) Math.max(0, elapsed) / slowStart);
    }

    /** Whether active probes have taken the backend out. */
    public boolean failsProbes() {
        return !probedHealthy;
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

    /** Passive ejections so far. */
    public long ejections() {
        return ejectionsTotal.get();
    }

    /** An attempt at this backend ended: what its outcome says of the backend's health counts. */
    public void record(ForwardOutcome outcome) {
        switch (outcome.health()) {
            case SUCCESS -> succeeded();
            case FAILURE -> failed();
            case NONE -> { }
        }
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

    /** The backend answered: its run of failures, and of ejections, is over. */
    private void succeeded() {
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
    private void failed() {
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
        ejectionsTotal.incrementAndGet();
        LOG.warning("Backend " + backend + " ejected for " + period + " after " + reason + " (ejection " + ejections
                + " in a row)");
    }
}
