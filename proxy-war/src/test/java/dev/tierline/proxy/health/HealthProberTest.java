package dev.tierline.proxy.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HealthProberTest {

    @Test
    void aProbe_passesWithAny2xxOr3xx_andFailsWithAnythingElse() {
        for (int status : new int[] {200, 204, 301, 399}) {
            assertTrue(HealthProber.passes(status), String.valueOf(status));
        }
        for (int status : new int[] {0, 101, 199, 400, 404, 500, 503}) {
            assertFalse(HealthProber.passes(status), String.valueOf(status));
        }
    }
}
