package dev.tierline.proxy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.proxy.forward.ForwardOutcome;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackendStatsTest {

    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);
    private final BackendStats stats = new BackendStats(millis::get);

    private void advanceSeconds(long seconds) {
        millis.addAndGet(seconds * 1000);
    }

    @Test
    void attempts_areCountedByHowTheyEnded() {
        stats.record(ForwardOutcome.COMPLETED, 1_000_000);
        stats.record(ForwardOutcome.COMPLETED, 1_000_000);
        stats.record(ForwardOutcome.BACKEND_RESET, 1_000_000);

        assertEquals(3, stats.requests());
        assertEquals(Map.of(ForwardOutcome.COMPLETED, 2L, ForwardOutcome.BACKEND_RESET, 1L), stats.outcomes());
        assertEquals(3, stats.durations().count());
    }

    @Test
    void theLastMinute_leavesOutOlderSeconds_andTheOneUnderWay() {
        stats.record(ForwardOutcome.COMPLETED, 500_000_000);
        advanceSeconds(61);
        for (int i = 0; i < 10; i++) {
            stats.record(ForwardOutcome.COMPLETED, 2_000_000);
        }
        assertEquals(0, stats.lastSeconds(60).count(), "the second under way is not over");

        advanceSeconds(1);
        Histogram.Snapshot minute = stats.lastSeconds(60);
        assertEquals(10, minute.count(), "the slow one is more than a minute old");
        assertTrue(minute.percentile(0.99) < 0.003, String.valueOf(minute.percentile(0.99)));
        assertEquals(11, stats.durations().count(), "all of them in all");
    }

    @Test
    void aSlotFiveMinutesOld_isReusedAfresh() {
        stats.record(ForwardOutcome.COMPLETED, 1_000_000);
        advanceSeconds(BackendStats.SECONDS);
        stats.record(ForwardOutcome.COMPLETED, 1_000_000);
        advanceSeconds(1);

        assertEquals(1, stats.lastSeconds(60).count());
    }

    @Test
    void history_givesRequestsPerSecond_andTheP99_ofEachStretch() {
        for (int second = 0; second < 20; second++) {
            int requests = second < 10 ? 2 : 4;
            for (int i = 0; i < requests; i++) {
                stats.record(ForwardOutcome.COMPLETED, second < 10 ? 1_000_000 : 100_000_000);
            }
            advanceSeconds(1);
        }

        List<BackendStats.Point> history = stats.history(2, 10);

        assertEquals(2, history.size());
        assertEquals(2.0, history.get(0).requestsPerSecond(), 1e-9);
        assertEquals(4.0, history.get(1).requestsPerSecond(), 1e-9);
        assertTrue(history.get(0).p99Seconds() < 0.002, String.valueOf(history.get(0).p99Seconds()));
        assertTrue(history.get(1).p99Seconds() > 0.05, String.valueOf(history.get(1).p99Seconds()));
        assertEquals(history.get(0).epochSecond() + 10, history.get(1).epochSecond());
    }
}
