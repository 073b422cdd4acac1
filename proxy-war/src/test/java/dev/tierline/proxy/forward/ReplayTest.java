package dev.tierline.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.proxy.config.RouteSettings;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayTest {

    private static final Set<String> IDEMPOTENT = RouteSettings.IDEMPOTENT_METHODS;

    @Test
    void aRouteMayRetryFewerMethods() {
        assertFalse(Replay.safe(ForwardOutcome.BACKEND_RESET, "PUT", Set.of("GET"), false, false));
        assertTrue(Replay.safe(ForwardOutcome.BACKEND_RESET, "GET", Set.of("GET"), false, false));
        assertTrue(Replay.safe(ForwardOutcome.CONNECT_REFUSED, "PUT", Set.of(), false, false), "never sent");
    }

    @Test
    void aRequestThatNeverLeft_mayGoElsewhere_whateverItsMethod() {
        for (ForwardOutcome neverSent : new ForwardOutcome[] {
            ForwardOutcome.CONNECT_REFUSED, ForwardOutcome.CONNECT_TIMEOUT, ForwardOutcome.POOL_EXHAUSTED,
            ForwardOutcome.NOT_SENT}) {
            assertTrue(Replay.safe(neverSent, "POST", IDEMPOTENT, false, false), neverSent.name());
            assertTrue(Replay.safe(neverSent, "PATCH", IDEMPOTENT, false, false), neverSent.name());
        }
    }

    @Test
    void aRequestTheBackendMayHaveRun_goesElsewhere_onlyWhenIdempotent() {
        for (String method : new String[] {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}) {
            assertTrue(Replay.safe(ForwardOutcome.BACKEND_RESET, method, IDEMPOTENT, false, false), method);
            assertTrue(Replay.safe(ForwardOutcome.MALFORMED_RESPONSE, method, IDEMPOTENT, false, false), method);
        }
        assertFalse(Replay.safe(ForwardOutcome.BACKEND_RESET, "POST", IDEMPOTENT, false, false));
        assertFalse(Replay.safe(ForwardOutcome.BACKEND_RESET, "PATCH", IDEMPOTENT, false, false));
        assertTrue(Replay.safe(ForwardOutcome.BACKEND_RESET, "POST", IDEMPOTENT, true, false), "with an Idempotency-Key");
    }

    @Test
    void aBodyThatHasBegunToFlow_cannotBeSentAgain() {
        assertFalse(Replay.safe(ForwardOutcome.CONNECT_REFUSED, "PUT", IDEMPOTENT, false, true));
        assertFalse(Replay.safe(ForwardOutcome.BACKEND_RESET, "PUT", IDEMPOTENT, true, true));
    }

    @Test
    void timeoutsAndOutcomesAfterTheResponseBegan_areNeverRetried() {
        assertFalse(Replay.safe(ForwardOutcome.RESPONSE_TIMEOUT, "GET", IDEMPOTENT, false, false));
        assertFalse(Replay.safe(ForwardOutcome.FAILED_AFTER_COMMIT, "GET", IDEMPOTENT, false, false));
        assertFalse(Replay.safe(ForwardOutcome.CLIENT_ABORTED, "GET", IDEMPOTENT, false, false));
        assertFalse(Replay.safe(ForwardOutcome.BODY_TOO_LARGE, "PUT", IDEMPOTENT, false, false));
        assertFalse(Replay.safe(ForwardOutcome.COMPLETED, "GET", IDEMPOTENT, false, false));
    }
}
