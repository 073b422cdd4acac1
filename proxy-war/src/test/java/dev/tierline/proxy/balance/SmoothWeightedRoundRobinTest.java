package dev.tierline.proxy.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SmoothWeightedRoundRobinTest {

    private static final List<TestMember> ONE_TWO_THREE =
            List.of(TestMember.of("a", 1, 0), TestMember.of("b", 2, 0), TestMember.of("c", 3, 0));

    @Test
    void weightsFiveOneOne_giveNginxSequence_cycleAfterCycle() {
        List<TestMember> candidates =
                List.of(TestMember.of("a", 5, 0), TestMember.of("b", 1, 0), TestMember.of("c", 1, 0));
        List<String> cycle = List.of("a", "a", "b", "a", "c", "a", "a");
        List<String> twoCycles = new ArrayList<>(cycle);
        twoCycles.addAll(cycle);

        assertEquals(twoCycles, Picks.sequence(new SmoothWeightedRoundRobin(), candidates, 14));
    }

    @Test
    void weightsOneTwoThree_areExact_inEveryCycleOfSix() {
        SmoothWeightedRoundRobin policy = new SmoothWeightedRoundRobin();
        for (int cycle = 0; cycle < 1000; cycle++) {
            assertEquals(Map.of("a", 1, "b", 2, "c", 3), Picks.count(policy, ONE_TWO_THREE, 6), "cycle " + cycle);
        }
    }

    @Test
    void weightsOneTwoThree_spreadOutWithinACycle() {
        // Smooth: c's three turns are spread out, not taken at once as in naive weighted turns (a b b c c c).
        assertEquals(List.of("c", "b", "a", "c", "b", "c"),
                Picks.sequence(new SmoothWeightedRoundRobin(), ONE_TWO_THREE, 6));
    }

    @Test
    void fractionalWeight_duringSlowStart_getsItsShare() {
        List<TestMember> candidates = List.of(TestMember.of("warming", 0.5, 0), TestMember.of("warm", 1, 0));

        assertEquals(Map.of("warming", 1000, "warm", 2000),
                Picks.count(new SmoothWeightedRoundRobin(), candidates, 3000));
    }

    @Test
    void backendThatLeavesAndReturns_startsAgainFromZero() {
        SmoothWeightedRoundRobin policy = new SmoothWeightedRoundRobin();
        List<TestMember> all = TestMember.named("a", "b", "c");
        List<TestMember> withoutC = TestMember.named("a", "b");

        List<String> picks = new ArrayList<>();
        picks.add(policy.pick(all, null).id());
        // c leaves with a score of 1; had it kept that, it would win the fourth pick instead of a.
        picks.add(policy.pick(withoutC, null).id());
        picks.add(policy.pick(withoutC, null).id());
        picks.add(policy.pick(all, null).id());

        assertEquals(List.of("a", "b", "b", "a"), picks);
    }

    @Test
    void concurrentPicks_giveExactTotals_overWholeCycles() throws Exception {
        SmoothWeightedRoundRobin policy = new SmoothWeightedRoundRobin();
        int threads = 8;
        int picksPerThread = 6 * 2_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    int[] counts = new int[3];
                    start.await();
                    for (int i = 0; i < picksPerThread; i++) {
                        counts[policy.pick(ONE_TWO_THREE, null).id().charAt(0) - 'a']++;
                    }
                    return counts;
                }));
            }
            start.countDown();
            int[] total = new int[3];
            for (Future<int[]> result : results) {
                int[] counts = result.get(30, TimeUnit.SECONDS);
                for (int i = 0; i < 3; i++) {
                    total[i] += counts[i];
                }
            }
            int cycles = threads * picksPerThread / 6;
            assertEquals(List.of(cycles, 2 * cycles, 3 * cycles), List.of(total[0], total[1], total[2]));
        } finally {
            pool.shutdownNow();
        }
    }
}
