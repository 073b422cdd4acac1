package dev.tierline.proxy.balance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Runs a policy many times over the same candidates, for tests of what it picks. */
final class Picks {

    private Picks() {}

    /** The ids picked, in order. */
    static List<String> sequence(LoadBalancingPolicy policy, List<TestMember> candidates, int picks) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < picks; i++) {
            ids.add(policy.pick(candidates, null).id());
        }
        return ids;
    }

    /** How many times each id was picked, ids in order; those never picked are absent. */
    static Map<String, Integer> count(LoadBalancingPolicy policy, List<TestMember> candidates, int picks) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(policy.pick(candidates, null).id(), 1, Integer::sum);
        }
        return counts;
    }
}
