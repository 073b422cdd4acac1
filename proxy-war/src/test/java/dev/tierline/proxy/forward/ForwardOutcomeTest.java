package dev.tierline.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CancellationException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.junit.jupiter.api.Test;

/** Which outcome each failure of the client library stands for; one per kind. */
class ForwardOutcomeTest {

    @Test
    void aRequestStillQueuedOnAClosingConnection_wasNotSent() {
        assertEquals(ForwardOutcome.NOT_SENT, ForwardOutcome.ofUpstreamFailure(new RequestNotExecutedException()));
    }

    @Test
    void aConnectionClosedOtherwise_isABackendReset() {
        assertEquals(ForwardOutcome.BACKEND_RESET, ForwardOutcome.ofUpstreamFailure(new ConnectionClosedException()));
        assertEquals(ForwardOutcome.BACKEND_RESET, ForwardOutcome.ofUpstreamFailure(new NoHttpResponseException("x")));
    }

    @Test
    void connectFailures_andTimeouts_andCancellation() {
        assertEquals(ForwardOutcome.CONNECT_REFUSED, ForwardOutcome.ofUpstreamFailure(new ConnectException()));
        assertEquals(ForwardOutcome.CONNECT_TIMEOUT, ForwardOutcome.ofUpstreamFailure(new ConnectTimeoutException("x")));
        assertEquals(ForwardOutcome.POOL_EXHAUSTED,
                ForwardOutcome.ofUpstreamFailure(new ConnectionRequestTimeoutException("x")));
        assertEquals(ForwardOutcome.RESPONSE_TIMEOUT, ForwardOutcome.ofUpstreamFailure(new SocketTimeoutException()));
        assertEquals(ForwardOutcome.MALFORMED_RESPONSE, ForwardOutcome.ofUpstreamFailure(new ProtocolException("x")));
        assertEquals(ForwardOutcome.CLIENT_ABORTED, ForwardOutcome.ofUpstreamFailure(new CancellationException()));
    }

    @Test
    void theClientsOwnDoing_isNeverHeldAgainstTheBackend_norSentElsewhere() {
        for (ForwardOutcome outcome : ForwardOutcome.values()) {
            if (outcome.clientsDoing()) {
                assertEquals(ForwardOutcome.Health.NONE, outcome.health(), outcome.name());
                assertEquals(ForwardOutcome.Resend.NEVER, outcome.resend(), outcome.name());
            }
        }
        assertTrue(ForwardOutcome.CLIENT_ABORTED.clientsDoing());
        assertTrue(ForwardOutcome.BODY_TOO_LARGE.clientsDoing());
    }

    @Test
    void anOutcomeWithoutAnErrorResponse_hasNoStatus() {
        for (ForwardOutcome outcome : new ForwardOutcome[] {ForwardOutcome.COMPLETED,
                ForwardOutcome.FAILED_AFTER_COMMIT, ForwardOutcome.CLIENT_ABORTED}) {
            assertFalse(outcome.needsErrorResponse());
            assertThrows(IllegalStateException.class, outcome::status, outcome.name());
        }
    }

    @Test
    void onlyACompletedExchange_countsForTheBackend() {
        for (ForwardOutcome outcome : ForwardOutcome.values()) {
            assertEquals(outcome == ForwardOutcome.COMPLETED, outcome.health() == ForwardOutcome.Health.SUCCESS,
                    outcome.name());
        }
    }
}
