package dev.tierline.proxy.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which members of a cluster a request may go to, as health sees them: those available now; and, in panic mode
 * (Envoy's), when every member is out, every enabled one rather than none, since a 503 for all is worse than
 * trying backends that may have recovered. Draining and disabled members never come back this way.
 */
public final class Panic {

    /** A cluster's member as this choice sees it. */
    public interface Candidate {

        /** Enabled by the operator, and healthy. */
        boolean available();

        /** Enabled by the operator, whatever its health. */
        boolean enabled();
    }

    private Panic() {
    }

    /**
     * @param tried the members this request was already sent to, which it never goes to again
     * @param panic whether the cluster is in panic mode when every member is out
     * @return the candidates, in the members' order; empty when there are none
     */
    public static <M extends Candidate> List<M> candidates(List<M> members, Set<?> tried, boolean panic) {
        List<M> candidates = select(members, member -> member.available() && !tried.contains(member));
        if (candidates.isEmpty() && panic && members.stream().noneMatch(Candidate::available)) {
            candidates = select(members, member -> member.enabled() && !tried.contains(member));
        }
        return candidates;
    }

    private static <M> List<M> select(List<M> members, Predicate<M> admitted) {
        List<M> selected = new ArrayList<>(members.size());
        for (M member : members) {
            if (admitted.test(member)) {
                selected.add(member);
            }
        }
        return selected;
    }
}
