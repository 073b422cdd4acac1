package dev.tierline.proxy.balance;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The candidate with the fewest requests in flight for its weight; among equals, a random one, the heavier
 * ones likelier in proportion to weight.
 */
public final class LeastRequests implements LoadBalancingPolicy {

    private final RandomGenerator random;

    /** @param random safe for concurrent use when the policy is shared by request threads */
    public LeastRequests(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public <M extends Member> M pick(List<M> candidates, String hashKey) {
        M chosen = null;
        double least = Double.POSITIVE_INFINITY;
        double tiedWeight = 0;
        for (int i = 0; i < candidates.size(); i++) {
            M candidate = candidates.get(i);
            double weight = candidate.weight();
            double load = candidate.inFlight() / weight;
            if (load < least) {
                chosen = candidate;
                least = load;
                tiedWeight = weight;
            } else if (load == least) {
                // Weighted reservoir sampling: each tied candidate ends up chosen with probability
                // weight / (weight of all tied), in one pass and without a list. Breaking ties by weight, as
                // nginx's least_conn does, keeps weights (and slow start) meaningful when nothing is in flight.
                tiedWeight += weight;
                if (random.nextDouble() * tiedWeight < weight) {
                    chosen = candidate;
                }
            }
        }
        return chosen;
    }
}
