package dev.tierline.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplayTest {

    @Test
    void aRequestThatNeverLeft_mayGoElsewhere_whateverItsMethod() {
        for (ForwardOutcome neverSent : new ForwardOutcome[] {
            ForwardOutcome.CONNECT_REFUSED, ForwardOutcome.CONNECT_TIMEOUT, ForwardOutcome.POOL_EXHAUSTED}) {
            assertTrue(Replay.safe(neverSent, "POST", false, false), neverSent.name());
            assertTrue(Replay.safe(neverSent, "PATCH", false, false), neverSent.name());
        }
    }

    @Test
    void aRequestTheBackendMayHaveRun_goesElsewhere_onlyWhenIdempotent() {
        for (String method : new String[] {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}) {
            assertTrue(Replay.safe(ForwardOutcome.BACKEND_RESET, method, false, false), method);
            assertTrue(Replay.safe(ForwardOutcome.MALFORMED_RESPONSE, method, false, false), method);
        }
        assertFalse(Replay.safe(ForwardOutcome.BACKEND_RESET, "POST", false, false));
        assertFalse(Replay.safe(ForwardOutcome.BACKEND_RESET, "PATCH", false, false));
        assertTrue(Replay.safe(ForwardOutcome.BACKEND_RESET, "POST", true, false), "with an Idempotency-Key");
    }

    @Test
    void aBodyThatHasBegunToFlow_cannotBeSentAgain() {
        assertFalse(Replay.safe(ForwardOutcome.CONNECT_REFUSED, "PUT", false, true));
        assertFalse(Replay.safe(ForwardOutcome.BACKEND_RESET, "PUT", true, true));
    }

    @Test
    void timeoutsAndOutcomesAfterTheResponseBegan_areNeverRetried() {
        assertFalse(Replay.safe(ForwardOutcome.RESPONSE_TIMEOUT, "GET", false, false));
        assertFalse(Replay.safe(ForwardOutcome.FAILED_AFTER_COMMIT, "GET", false, false));
        assertFalse(Replay.safe(ForwardOutcome.CLIENT_ABORTED, "GET", false, false));
        assertFalse(Replay.safe(ForwardOutcome.COMPLETED, "GET", false, false));
    }
}
