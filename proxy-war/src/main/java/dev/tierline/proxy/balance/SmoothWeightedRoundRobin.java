package dev.tierline.proxy.balance;

import java.util.List;

/**
 * Turns in proportion to weight, spread out rather than in runs: nginx's smooth weighted round robin, so
 * weights 5, 1, 1 give a a b a c a a.
 */
public final class SmoothWeightedRoundRobin implements LoadBalancingPolicy {

    // Each candidate's running score, by position in the last candidate list seen; ids[i] owns current[i].
    private String[] ids = new String[0];
    private double[] current = new double[0];

    @Override
    public synchronized <M extends Member> M pick(List<M> candidates, String hashKey) {
        if (!followsTheLast(candidates)) {
            follow(candidates);
        }
        double total = 0;
        int best = -1;
        for (int i = 0; i < candidates.size(); i++) {
            double weight = candidates.get(i).weight();
            current[i] += weight;
            total += weight;
            // Strictly greater: on a tie the earlier candidate wins, as in nginx.
            if (best < 0 || current[i] > current[best]) {
                best = i;
            }
        }
        current[best] -= total;
        return candidates.get(best);
    }

    private boolean followsTheLast(List<? extends Member> candidates) {
        if (candidates.size() != ids.length) {
            return false;
        }
        for (int i = 0; i < ids.length; i++) {
            if (!ids[i].equals(candidates.get(i).backend().id())) {
                return false;
            }
        }
        return true;
    }

    /** Carries the scores of candidates that stay; newcomers start at zero and the departed are forgotten. */
    private void follow(List<? extends Member> candidates) {
        String[] nextIds = new String[candidates.size()];
        double[] nextCurrent = new double[nextIds.length];
        for (int i = 0; i < nextIds.length; i++) {
            nextIds[i] = candidates.get(i).backend().id();
            for (int old = 0; old < ids.length; old++) {
                if (ids[old].equals(nextIds[i])) {
                    nextCurrent[i] = current[old];
                    break;
                }
            }
        }
        ids = nextIds;
        current = nextCurrent;
    }
}
