package dev.tierline.proxy.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.config.HealthRules;
import dev.tierline.proxy.config.ProbeRules;
import dev.tierline.proxy.forward.ForwardOutcome;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackendHealthTest {

    private static final HealthRules RULES =
            new HealthRules(3, Duration.ofSeconds(5), Duration.ofSeconds(40), Duration.ofSeconds(10), false);

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private BackendHealth health(HealthRules rules) {
        return new BackendHealth(new Backend("a", "http", "a", 1, ""), rules, clock::get);
    }

    private void advance(Duration by) {
        clock.addAndGet(by.toNanos());
    }

    private static void fail(BackendHealth health, int times) {
        for (int i = 0; i < times; i++) {
            health.record(ForwardOutcome.CONNECT_REFUSED);
        }
    }

    @Test
    void consecutiveFailures_ejectABackend_forAPeriodThatDoublesInARow() {
        BackendHealth a = health(RULES);

        fail(a, 2);
        assertTrue(a.healthy(), "two failures are not three");
        fail(a, 1);
        assertFalse(a.healthy());
        assertTrue(a.isEjected());

        advance(Duration.ofSeconds(5));
        assertTrue(a.healthy(), "back after the first ejection's 5 s");
        fail(a, 3);
        advance(Duration.ofSeconds(9));
        assertFalse(a.healthy(), "the second ejection in a row lasts 10 s");
        advance(Duration.ofSeconds(1));
        assertTrue(a.healthy());
    }

    @Test
    void aSuccess_endsTheRunOfFailures() {
        BackendHealth a = health(RULES);

        fail(a, 2);
        a.record(ForwardOutcome.COMPLETED);
        fail(a, 2);

        assertTrue(a.healthy());
    }

    @Test
    void aClientThatLeaves_orSendsTooMuch_orAFullPool_isNotTheBackendsFailure() {
        BackendHealth a = health(RULES);
        ForwardOutcome[] notTheBackends = {ForwardOutcome.CLIENT_ABORTED, ForwardOutcome.BODY_TOO_LARGE,
            ForwardOutcome.POOL_EXHAUSTED, ForwardOutcome.NOT_SENT, ForwardOutcome.FAILED_AFTER_COMMIT};
        for (int i = 0; i < 15; i++) {
            a.record(notTheBackends[i % notTheBackends.length]);
        }
        assertTrue(a.healthy());
    }

    @Test
    void everyFailureOfTheBackend_countsAgainstIt() {
        for (ForwardOutcome outcome : new ForwardOutcome[] {ForwardOutcome.CONNECT_REFUSED,
                ForwardOutcome.CONNECT_TIMEOUT, ForwardOutcome.RESPONSE_TIMEOUT, ForwardOutcome.BACKEND_RESET,
                ForwardOutcome.MALFORMED_RESPONSE}) {
            BackendHealth a = health(RULES);
            for (int i = 0; i < 3; i++) {
                a.record(outcome);
            }
            assertTrue(a.isEjected(), outcome.name());
        }
    }

    @Test
    void aBackendThatComesBack_rampsUpItsWeight_overTheSlowStart() {
        BackendHealth a = health(RULES);
        BackendHealth b = health(RULES);
        fail(a, 3);
        advance(Duration.ofSeconds(5));
        assertTrue(a.healthy());

        assertEquals(0.1, a.weightShare(), 1e-9, "back at once: the floor");
        advance(Duration.ofSeconds(5));
        assertEquals(0.5, a.weightShare(), 1e-9, "half way through the 10 s");
        advance(Duration.ofSeconds(5));
        assertEquals(1.0, a.weightShare(), 1e-9);
        assertEquals(1.0, b.weightShare(), 1e-9, "b never left");
    }

    @Test
    void failedProbes_takeABackendOut_andPassingOnes_bringItBackWithSlowStart() {
        ProbeRules probe = new ProbeRules("/health", Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 3);
        BackendHealth a = health(RULES);

        a.probed(false, probe);
        a.probed(false, probe);
        assertTrue(a.healthy(), "two failed probes are not three");
        a.probed(false, probe);
        assertFalse(a.healthy());
        assertTrue(a.failsProbes());

        a.probed(true, probe);
        a.probed(false, probe);
        a.probed(true, probe);
        assertFalse(a.healthy(), "the good probes were not in a row");
        a.probed(true, probe);
        assertTrue(a.healthy());
        assertEquals(0.1, a.weightShare(), 1e-9, "back with slow start");
    }

    @Test
    void passingProbes_forgiveAPassiveEjection() {
        ProbeRules probe = new ProbeRules("/health", Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1);
        BackendHealth a = health(RULES);
        fail(a, 3);
        a.probed(false, probe);
        assertFalse(a.healthy());

        a.probed(true, probe);

        assertTrue(a.healthy(), "the probe says it is back, before the 5 s ejection is over");
    }

    @Test
    void probes_areClaimedOncePerInterval_andOneAtATime() {
        ProbeRules probe = new ProbeRules("/health", Duration.ofSeconds(2), Duration.ofSeconds(1), 1, 1);
        BackendHealth a = health(RULES);

        assertTrue(a.claimProbe(probe));
        assertFalse(a.claimProbe(probe), "one is in flight");
        a.probed(true, probe);
        assertFalse(a.claimProbe(probe), "not due yet");
        advance(Duration.ofSeconds(2));
        assertTrue(a.claimProbe(probe));
    }

    @Test
    void aFailureRateWithinAWindow_ejects_evenWithoutFailuresInARow() {
        HealthRules rules = new HealthRules(100, Duration.ofSeconds(5), Duration.ofSeconds(40), Duration.ZERO, false,
                0.5, Duration.ofSeconds(10), 10);
        BackendHealth a = health(rules);

        for (int i = 0; i < 8; i++) {
            a.record(i % 2 == 0 ? ForwardOutcome.COMPLETED : ForwardOutcome.BACKEND_RESET);
        }
        assertTrue(a.healthy(), "4 of 8: too few attempts to judge");
        a.record(ForwardOutcome.COMPLETED);
        a.record(ForwardOutcome.BACKEND_RESET);
        assertFalse(a.healthy(), "5 of 10 failed");

        advance(Duration.ofSeconds(5));
        assertTrue(a.healthy());
        advance(Duration.ofSeconds(10));
        for (int i = 0; i < 9; i++) {
            a.record(i < 5 ? ForwardOutcome.COMPLETED : ForwardOutcome.BACKEND_RESET);
        }
        a.record(ForwardOutcome.COMPLETED);
        assertTrue(a.healthy(), "4 of 10 in a new window is under half");
    }
}
