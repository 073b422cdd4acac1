package dev.tierline.proxy.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals(policyClass, Policies.create(name, new SplittableRandom(1)).getClass().getSimpleName());
    }

    @Test
    void names_areListedInConfigurationOrder() {
        assertEquals(List.of("round-robin", "weighted-round-robin", "least-requests", "power-of-two-choices",
                "random", "consistent-hash"), List.copyOf(Policies.NAMES));
    }

    @Test
    void defaultPolicy_isPowerOfTwoChoices() {
        assertTrue(Policies.NAMES.contains(Policies.DEFAULT));
        assertEquals(PowerOfTwoChoices.class, Policies.create(Policies.DEFAULT, new SplittableRandom(1)).getClass());
    }

    @Test
    void unknownName_throws_namingEveryValidOne() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Policies.create("least-connections", new SplittableRandom(1)));

        assertTrue(thrown.getMessage().contains("\"least-connections\""), thrown.getMessage());
        for (String name : Policies.NAMES) {
            assertTrue(thrown.getMessage().contains(name), thrown.getMessage());
        }
    }

    @Test
    void missingName_throwsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Policies.create(null, new SplittableRandom(1)));
    }

    @Test
    void eachCreation_givesAPolicyOfItsOwn() {
        for (String name : Policies.NAMES) {
            RandomGenerator random = Policies.threadSafeRandom();
            assertNotSame(Policies.create(name, random), Policies.create(name, random), name);
        }
    }

    @Test
    void threadSafeRandom_servesManyThreads() throws InterruptedException {
        LoadBalancingPolicy policy = Policies.create("random", Policies.threadSafeRandom());
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
