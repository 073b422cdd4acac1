package dev.tierline.proxy.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ConsistentHashTest {

    private static final int KEYS = 10_000;
    private static final List<TestMember> FOUR = TestMember.named("app-1", "app-2", "app-3", "app-4");

    @Test
    void sameKey_getsSameBackend_fromAnyInstance() {
        ConsistentHash policy = new ConsistentHash();
        Map<String, String> first = owners(policy, FOUR);

        assertEquals(first, owners(policy, FOUR));
        assertEquals(first, owners(new ConsistentHash(), FOUR));
    }

    @Test
    void fourEqualBackends_eachGetAQuarterOfKeys() {
        Map<String, Integer> shares = countByBackend(owners(new ConsistentHash(), FOUR));

        assertEquals(4, shares.size(), shares::toString);
        for (int share : shares.values()) {
            assertTrue(Math.abs(share - KEYS / 4) <= KEYS / 20, shares::toString);
        }
    }

    @Test
    void weights_scaleTheShares() {
        List<TestMember> candidates = List.of(TestMember.of("app-1", 1, 0), TestMember.of("app-2", 3, 0));

        Map<String, Integer> shares = countByBackend(owners(new ConsistentHash(), candidates));

        assertTrue(Math.abs(shares.get("app-1") - KEYS / 4) <= KEYS / 20, shares::toString);
    }

    @Test
    void backendLeaving_movesOnlyItsKeys_spreadOverTheOthers() {
        ConsistentHash policy = new ConsistentHash();
        Map<String, String> before = owners(policy, FOUR);
        Map<String, String> after = owners(policy, TestMember.named("app-1", "app-2", "app-4"));

        Map<String, Integer> movedTo = new TreeMap<>();
        for (String key : before.keySet()) {
            if (before.get(key).equals("app-3")) {
                movedTo.merge(after.get(key), 1, Integer::sum);
            } else {
                assertEquals(before.get(key), after.get(key), key);
            }
        }
        int moved = movedTo.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(List.of("app-1", "app-2", "app-4"), List.copyOf(movedTo.keySet()));
        // Each survivor takes over the arcs just before its own points, a third of the moved keys on average;
        // with 200 points a backend that took less than half or more than one and a half times that would be
        // three standard deviations out.
        for (int share : movedTo.values()) {
            assertTrue(share >= moved / 6 && share <= moved / 2, movedTo::toString);
        }
    }

    @Test
    void backendJoining_takesAboutAFifthOfKeys_fromEachOfTheOthers() {
        ConsistentHash policy = new ConsistentHash();
        Map<String, String> before = owners(policy, FOUR);
        Map<String, String> after = owners(policy, TestMember.named("app-1", "app-2", "app-3", "app-4", "app-5"));

        Map<String, Integer> movedFrom = new TreeMap<>();
        for (String key : before.keySet()) {
            if (!before.get(key).equals(after.get(key))) {
                assertEquals("app-5", after.get(key), key);
                movedFrom.merge(before.get(key), 1, Integer::sum);
            }
        }
        int moved = movedFrom.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(Math.abs(moved - KEYS / 5) <= KEYS / 20, movedFrom::toString);
        assertEquals(4, movedFrom.size(), movedFrom::toString);
    }

    @Test
    void weightRising_movesKeysOnlyToThatBackend() {
        ConsistentHash policy = new ConsistentHash();
        Map<String, String> before = owners(policy, FOUR);
        Map<String, String> after = owners(policy, List.of(TestMember.of("app-1", 1, 0),
                TestMember.of("app-2", 2, 0), TestMember.of("app-3", 1, 0), TestMember.of("app-4", 1, 0)));

        int moved = 0;
        for (String key : before.keySet()) {
            if (!before.get(key).equals(after.get(key))) {
                assertEquals("app-2", after.get(key), key);
                moved++;
            }
        }
        // From a quarter to two fifths.
        assertTrue(Math.abs(moved - KEYS * 3 / 20) <= KEYS / 20, "moved " + moved);
    }

    @Test
    void ring_isKept_whileIdsAndWeightsStay_andRebuilt_whenAWeightChanges() {
        ConsistentHash policy = new ConsistentHash();
        policy.pick(FOUR, "k");
        HashRing ring = policy.ring();

        // Equal ids and weights in other objects, with other loads and a weight that rounds to the same points.
        List<TestMember> sameRing = List.of(TestMember.of("app-1", 1, 7), TestMember.of("app-2", 1.001, 3),
                TestMember.of("app-3", 1, 0), TestMember.of("app-4", 1, 1));
        policy.pick(sameRing, "k");
        assertSame(ring, policy.ring());

        List<TestMember> heavier = List.of(TestMember.of("app-1", 1, 0), TestMember.of("app-2", 1.5, 0),
                TestMember.of("app-3", 1, 0), TestMember.of("app-4", 1, 0));
        policy.pick(heavier, "k");
        assertNotSame(ring, policy.ring());
    }

    @Test
    void hugeWeight_isCapped() {
        assertEquals(HashRing.MAX_POINTS, HashRing.pointsFor(1e9));
        assertEquals(1, HashRing.pointsFor(1e-9));
    }

    private static Map<String, String> owners(ConsistentHash policy, List<TestMember> candidates) {
        Map<String, String> owners = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            String key = "client-" + i;
            owners.put(key, policy.pick(candidates, key).id());
        }
        return owners;
    }

    private static Map<String, Integer> countByBackend(Map<String, String> owners) {
        Map<String, Integer> counts = new TreeMap<>();
        owners.values().forEach(id -> counts.merge(id, 1, Integer::sum));
        return counts;
    }
}
