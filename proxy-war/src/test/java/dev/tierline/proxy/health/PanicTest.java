package dev.tierline.proxy.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PanicTest {

    private record Member(String id, boolean available, boolean enabled) implements Panic.Candidate {
    }

    private static final Member UP = new Member("up", true, true);
    private static final Member DOWN = new Member("down", false, true);
    private static final Member DRAINING = new Member("draining", false, false);

    @Test
    void theAvailableMembers_notTriedYet_areTheCandidates() {
        Member other = new Member("other", true, true);
        assertEquals(List.of(UP, other), Panic.candidates(List.of(UP, DOWN, other), Set.of(), true));
        assertEquals(List.of(other), Panic.candidates(List.of(UP, DOWN, other), Set.of(UP), true));
    }

    @Test
    void whenEveryMemberIsOut_noneIsACandidate_unlessPanicModeTriesEveryEnabledOne() {
        Member alsoDown = new Member("also-down", false, true);
        List<Member> members = List.of(DOWN, alsoDown, DRAINING);

        assertEquals(List.of(), Panic.candidates(members, Set.of(), false));
        assertEquals(List.of(DOWN, alsoDown), Panic.candidates(members, Set.of(), true), "never the draining one");
        assertEquals(List.of(alsoDown), Panic.candidates(members, Set.of(DOWN), true), "nor one already tried");
    }

    @Test
    void panicMode_waitsUntilEveryMemberIsOut() {
        assertEquals(List.of(), Panic.candidates(List.of(UP, DOWN), Set.of(UP), true),
                "one is available, though tried: no panic");
    }
}
