package dev.tierline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

    @Test
    void until_stopsAsSoonAsTheConditionHolds() {
        AtomicInteger tries = new AtomicInteger();

        assertTrue(Poll.until(Duration.ofSeconds(5), Duration.ofMillis(1),
                () -> tries.incrementAndGet() == 3));
        assertEquals(3, tries.get());
    }

    @Test
    void until_givesUpAfterItsTimeout_withABoundedNumberOfTries() {
        AtomicInteger tries = new AtomicInteger();
        long start = System.nanoTime();

        assertFalse(Poll.until(Duration.ofMillis(100), Duration.ofMillis(20), () -> {
            tries.incrementAndGet();
            return false;
        }));
        assertTrue(tries.get() >= 2 && tries.get() <= 6, tries.get() + " tries");
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
    }
}
