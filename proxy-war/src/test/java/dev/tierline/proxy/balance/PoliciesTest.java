package dev.tierline.proxy.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.proxy.config.LoadBalancing;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PoliciesTest {

    @ParameterizedTest
    @CsvSource({
        "round-robin, RoundRobin",
        "weighted-round-robin, SmoothWeightedRoundRobin",
        "least-requests, LeastRequests",
        "power-of-two-choices, PowerOfTwoChoices",
        "random, WeightedRandom",
        "consistent-hash, ConsistentHash"
    })
    void name_createsItsPolicy(String name, String policyClass) {
        assertEquals(policyClass, Policies.create(LoadBalancing.parse(name), new SplittableRandom(1)).getClass()
                .getSimpleName());
    }

    @Test
    void defaultPolicy_isPowerOfTwoChoices() {
        assertEquals(PowerOfTwoChoices.class, Policies.create(LoadBalancing.DEFAULT, new SplittableRandom(1)).getClass());
    }

    @Test
    void eachCreation_givesAPolicyOfItsOwn() {
        for (LoadBalancing name : LoadBalancing.values()) {
            RandomGenerator random = Policies.threadSafeRandom();
            assertNotSame(Policies.create(name, random), Policies.create(name, random), name.token());
        }
    }

    @Test
    void threadSafeRandom_servesManyThreads() throws InterruptedException {
        LoadBalancingPolicy policy = Policies.create(LoadBalancing.RANDOM, Policies.threadSafeRandom());
        List<TestMember> candidates = TestMember.named("a", "b");
        int[][] counts = new int[4][2];
        Thread[] threads = new Thread[counts.length];
        for (int t = 0; t < threads.length; t++) {
            int[] mine = counts[t];
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    mine[policy.pick(candidates, null).id().equals("a") ? 0 : 1]++;
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        for (int[] mine : counts) {
            assertTrue(mine[0] > 800 && mine[1] > 800, mine[0] + " / " + mine[1]);
        }
    }
}
