package dev.tierline.proxy.balance;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** A random candidate, each with probability proportional to its weight. */
public final class WeightedRandom implements LoadBalancingPolicy {

    private final RandomGenerator random;

    /** @param random safe for concurrent use when the policy is shared by request threads */
    public WeightedRandom(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public <M extends Member> M pick(List<M> candidates, String hashKey) {
        double total = 0;
        for (int i = 0; i < candidates.size(); i++) {
            total += candidates.get(i).weight();
        }
        // Each candidate owns a stretch of [0, total) as long as its weight; the point falls in one of them.
        double point = random.nextDouble() * total;
        double end = 0;
        for (int i = 0; i < candidates.size(); i++) {
            end += candidates.get(i).weight();
            if (point < end) {
                return candidates.get(i);
            }
        }
        // Only reached when rounding makes the point equal to the total.
        return candidates.get(candidates.size() - 1);
    }
}
