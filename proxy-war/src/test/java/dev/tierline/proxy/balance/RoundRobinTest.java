package dev.tierline.proxy.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import dev.tierline.proxy.config.ClusterConfig;
import dev.tierline.proxy.config.HealthRules;
import dev.tierline.proxy.config.LoadBalancing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

    private static final List<TestMember> BACKENDS = TestMember.named("a", "b", "c");

    @Test
    void backends_takeTurnsInOrder() {
        RoundRobin policy = new RoundRobin();
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picks.add(policy.pick(BACKENDS, null).id());
        }
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), picks);
    }

    @Test
    void distribution_staysEven_whenTheCounterWrapsNegative() {
        RoundRobin policy = new RoundRobin(Integer.MAX_VALUE - 1500);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            counts.merge(policy.pick(BACKENDS, null).id(), 1, Integer::sum);
        }
        // The turn restarts at 0 after the wrap, so one backend is one request ahead and one behind.
        assertEquals(Map.of("a", 1000, "b", 1001, "c", 999), counts);
    }

    @Test
    void cluster_withoutBackends_choosesNone() {
        assertEquals(java.util.Optional.empty(), Cluster.of(ClusterConfig.of("empty", List.of(), LoadBalancing.ROUND_ROBIN, HealthRules.DEFAULT), System::nanoTime).choose("k"));
    }
}
