package dev.tierline.proxy.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeastRequestsTest {

    @Test
    void leastLoaded_isPicked_withoutDrawing() {
        List<TestMember> candidates =
                List.of(TestMember.of("a", 1, 7), TestMember.of("b", 1, 2), TestMember.of("c", 1, 5));

        // No random draw is scripted: a pick without a tie must not draw.
        assertEquals("b", new LeastRequests(ScriptedRandom.none()).pick(candidates, null).id());
    }

    @Test
    void load_isCountedRelativeToWeight() {
        // a has 4 per unit of weight, b 3, c 5: b has the most requests in flight but the least per weight.
        List<TestMember> candidates =
                List.of(TestMember.of("a", 1, 4), TestMember.of("b", 2, 6), TestMember.of("c", 1, 5));

        assertEquals("b", new LeastRequests(ScriptedRandom.none()).pick(candidates, null).id());
    }

    @Test
    void leastLoaded_isAlwaysPicked_whereverItStands() {
        LeastRequests policy = new LeastRequests(new SplittableRandom(1));
        for (int lightest = 0; lightest < 4; lightest++) {
            List<TestMember> candidates = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                candidates.add(TestMember.of("m" + i, 1, i == lightest ? 3 : 4 + i));
            }
            assertSame(candidates.get(lightest), policy.pick(candidates, null));
        }
    }

    @Test
    void tiesAmongTheLeastLoaded_spreadEvenly_andNeverReachTheBusier() {
        List<TestMember> candidates = List.of(TestMember.of("a", 1, 2), TestMember.of("b", 1, 5),
                TestMember.of("c", 1, 2), TestMember.of("d", 1, 2));

        Map<String, Integer> counts = Picks.count(new LeastRequests(new SplittableRandom(42)), candidates, 9_000);

        assertEquals(List.of("a", "c", "d"), List.copyOf(counts.keySet()));
        for (int count : counts.values()) {
            assertTrue(Math.abs(count - 3_000) <= 150, counts::toString);
        }
    }

    @Test
    void tiesWithNothingInFlight_goByWeight() {
        // Otherwise a backend in slow start would get a full share whenever the cluster is idle.
        List<TestMember> candidates = List.of(TestMember.of("warming", 1, 0), TestMember.of("warm", 3, 0));

        Map<String, Integer> counts = Picks.count(new LeastRequests(new SplittableRandom(7)), candidates, 10_000);

        assertTrue(Math.abs(counts.get("warming") - 2_500) <= 200, counts::toString);
    }
}
