package dev.tierline.proxy.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.proxy.forward.ForwardOutcome;
import org.junit.jupiter.api.Test;

/** One test per mapping from a failure to its status. */
class FailureTest {

    @Test
    void noRoute_returns404() {
        assertEquals(404, Failure.NO_ROUTE.status());
    }

    @Test
    void noBackend_returns503() {
        assertEquals(503, Failure.NO_BACKEND.status());
    }

    @Test
    void poolExhausted_returns503() {
        assertEquals(503, Failure.of(ForwardOutcome.POOL_EXHAUSTED).status());
    }

    @Test
    void connectRefused_returns502() {
        assertEquals(502, Failure.of(ForwardOutcome.CONNECT_REFUSED).status());
    }

    @Test
    void backendReset_returns502() {
        assertEquals(502, Failure.of(ForwardOutcome.BACKEND_RESET).status());
    }

    @Test
    void notSent_returns502() {
        assertEquals(502, Failure.of(ForwardOutcome.NOT_SENT).status());
    }

    @Test
    void malformedResponse_returns502() {
        assertEquals(502, Failure.of(ForwardOutcome.MALFORMED_RESPONSE).status());
    }

    @Test
    void connectTimeout_returns504() {
        assertEquals(504, Failure.of(ForwardOutcome.CONNECT_TIMEOUT).status());
    }

    @Test
    void responseTimeout_returns504() {
        assertEquals(504, Failure.of(ForwardOutcome.RESPONSE_TIMEOUT).status());
    }

    @Test
    void malformedBody_returns400() {
        assertEquals(400, Failure.of(ForwardOutcome.MALFORMED_BODY).status());
        assertEquals("Bad Request", Failure.MALFORMED_BODY.title());
    }

    @Test
    void bodyTooLarge_returns413() {
        assertEquals(413, Failure.of(ForwardOutcome.BODY_TOO_LARGE).status());
        assertEquals(413, Failure.BODY_TOO_LARGE.status());
    }

    @Test
    void outcomesWithoutAnErrorResponse_haveNoFailure() {
        for (ForwardOutcome outcome : new ForwardOutcome[] {ForwardOutcome.COMPLETED,
                ForwardOutcome.FAILED_AFTER_COMMIT, ForwardOutcome.CLIENT_ABORTED}) {
            assertFalse(outcome.needsErrorResponse());
            assertThrows(IllegalArgumentException.class, () -> Failure.of(outcome));
        }
    }

    @Test
    void everyOtherOutcome_needsAnErrorResponse_andHasOne() {
        for (ForwardOutcome outcome : ForwardOutcome.values()) {
            if (outcome.needsErrorResponse()) {
                // The client's own doing is a 4xx; everything else is the backend's or the proxy's, a 5xx.
                int least = outcome.clientsDoing() ? 400 : 500;
                assertTrue(Failure.of(outcome).status() >= least, outcome.name());
            }
        }
    }
}
