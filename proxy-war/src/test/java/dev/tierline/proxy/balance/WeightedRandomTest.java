package dev.tierline.proxy.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightedRandomTest {

    private static final List<TestMember> ONE_TWO_THREE =
            List.of(TestMember.of("a", 1, 0), TestMember.of("b", 2, 0), TestMember.of("c", 3, 0));

    @Test
    void eachCandidate_ownsAStretchAsLongAsItsWeight() {
        // Over a total weight of 6: a owns [0, 1), b [1, 3), c [3, 6).
        ScriptedRandom random = ScriptedRandom.withDoubles(0.0, 0.1, 0.2, 0.49, 0.5, 0.99);

        assertEquals(List.of("a", "a", "b", "b", "c", "c"),
                Picks.sequence(new WeightedRandom(random), ONE_TWO_THREE, 6));
    }

    @Test
    void weightsOneTwoThree_giveSharesOfOneTwoThreeSixths() {
        Map<String, Integer> counts =
                Picks.count(new WeightedRandom(new SplittableRandom(17)), ONE_TWO_THREE, 10_000);

        // Within 2 points of the share: about five standard deviations at 10,000 picks.
        assertTrue(Math.abs(counts.get("a") - 10_000 / 6.0) <= 200, counts::toString);
        assertTrue(Math.abs(counts.get("b") - 10_000 * 2 / 6.0) <= 200, counts::toString);
        assertTrue(Math.abs(counts.get("c") - 10_000 * 3 / 6.0) <= 200, counts::toString);
    }

    @Test
    void drawJustBelowOne_picksTheLast() {
        double largestBelowOne = Math.nextDown(1.0);

        WeightedRandom policy = new WeightedRandom(ScriptedRandom.withDoubles(largestBelowOne));

        assertEquals("c", policy.pick(ONE_TWO_THREE, null).id());
    }
}
