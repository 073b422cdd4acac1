package dev.tierline.proxy.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClientConcurrencyTest {

    @Test
    void anAddress_getsAsManyRequestsInFlightAsTheLimit_andOthersAreCountedApart() {
        ClientConcurrency clients = new ClientConcurrency(2);

        assertTrue(clients.tryAcquire("10.0.0.1"));
        assertTrue(clients.tryAcquire("10.0.0.1"));
        assertFalse(clients.tryAcquire("10.0.0.1"));
        assertTrue(clients.tryAcquire("10.0.0.2"));
        assertEquals(2, clients.inFlight("10.0.0.1"));
    }

    @Test
    void aRequestThatEnds_freesItsPlace_andAnAddressWithNoneIsForgotten() {
        ClientConcurrency clients = new ClientConcurrency(1);
        assertTrue(clients.tryAcquire("10.0.0.1"));
        assertFalse(clients.tryAcquire("10.0.0.1"));

        clients.release("10.0.0.1");

        assertEquals(0, clients.inFlight("10.0.0.1"));
        assertTrue(clients.tryAcquire("10.0.0.1"));
    }

    @Test
    void aLimitBelowOne_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClientConcurrency(0));
    }
}
