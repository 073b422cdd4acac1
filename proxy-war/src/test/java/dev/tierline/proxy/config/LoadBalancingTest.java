package dev.tierline.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadBalancingTest {

    @Test
    void names_areListedInConfigurationOrder() {
        assertEquals(List.of("round-robin", "weighted-round-robin", "least-requests", "power-of-two-choices",
                "random", "consistent-hash"), Arrays.stream(LoadBalancing.values()).map(LoadBalancing::token).toList());
        assertEquals("round-robin, weighted-round-robin, least-requests, power-of-two-choices, random, consistent-hash",
                LoadBalancing.names());
    }

    @Test
    void defaultPolicy_isPowerOfTwoChoices() {
        assertEquals(LoadBalancing.POWER_OF_TWO_CHOICES, LoadBalancing.DEFAULT);
        assertEquals(LoadBalancing.DEFAULT, LoadBalancing.parse("power-of-two-choices"));
    }

    @Test
    void unknownName_throws_namingEveryValidOne() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> LoadBalancing.parse("least-connections"));

        assertTrue(thrown.getMessage().contains("\"least-connections\""), thrown.getMessage());
        for (LoadBalancing name : LoadBalancing.values()) {
            assertTrue(thrown.getMessage().contains(name.token()), thrown.getMessage());
        }
    }

    @Test
    void missingName_throwsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> LoadBalancing.parse(null));
    }

    @Test
    void names_areExact() {
        assertTrue(LoadBalancing.of("Round-Robin").isEmpty());
        assertTrue(LoadBalancing.of("round-robin ").isEmpty());
    }
}
