package dev.tierline.proxy.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PowerOfTwoChoicesTest {

    @Test
    void singleCandidate_isReturned_withoutDrawing() {
        List<TestMember> candidates = List.of(TestMember.of("only", 1, 9));

        assertEquals("only", new PowerOfTwoChoices(ScriptedRandom.none()).pick(candidates, null).id());
    }

    @Test
    void twoDrawnCandidates_areDistinct_andTheLighterWins() {
        List<TestMember> candidates =
                List.of(TestMember.of("a", 1, 1), TestMember.of("b", 1, 5), TestMember.of("c", 1, 3));
        // The second draw, 1 among the two others, skips b (drawn first) and lands on c.
        ScriptedRandom random = ScriptedRandom.withInts(1, 1);

        assertEquals("c", new PowerOfTwoChoices(random).pick(candidates, null).id());
        assertTrue(random.exhausted());
    }

    @Test
    void load_isCountedRelativeToWeight() {
        // a has 1 request in flight per unit of weight, b has 2.
        List<TestMember> candidates = List.of(TestMember.of("a", 4, 4), TestMember.of("b", 1, 2));

        assertEquals("a", new PowerOfTwoChoices(ScriptedRandom.withInts(1, 0)).pick(candidates, null).id());
    }

    @Test
    void mostLoadedOfThree_isNeverPicked_whenTheOtherTwoAreLighter() {
        List<TestMember> candidates =
                List.of(TestMember.of("a", 1, 9), TestMember.of("b", 1, 1), TestMember.of("c", 1, 2));

        Map<String, Integer> counts =
                Picks.count(new PowerOfTwoChoices(new SplittableRandom(3)), candidates, 10_000);

        assertNull(counts.get("a"), counts::toString);
        // b is in two of the three equally likely pairs and wins both; c wins only the pair {a, c}.
        assertTrue(Math.abs(counts.get("b") - 6_667) <= 300, counts::toString);
    }

    @Test
    void equalLoads_spreadRoughlyUniformly() {
        List<TestMember> candidates = List.of(TestMember.of("a", 1, 2), TestMember.of("b", 1, 2),
                TestMember.of("c", 1, 2), TestMember.of("d", 1, 2));

        Map<String, Integer> counts =
                Picks.count(new PowerOfTwoChoices(new SplittableRandom(11)), candidates, 20_000);

        assertEquals(4, counts.size(), counts::toString);
        for (int count : counts.values()) {
            assertTrue(Math.abs(count - 5_000) <= 250, counts::toString);
        }
    }

    @Test
    void equalLoads_goByWeight() {
        // Both are always drawn, so on equal loads the tie-break alone decides: 1 in 4 for the lighter weight.
        List<TestMember> candidates = List.of(TestMember.of("warming", 1, 0), TestMember.of("warm", 3, 0));

        Map<String, Integer> counts =
                Picks.count(new PowerOfTwoChoices(new SplittableRandom(5)), candidates, 10_000);

        assertTrue(Math.abs(counts.get("warming") - 2_500) <= 200, counts::toString);
    }
}
