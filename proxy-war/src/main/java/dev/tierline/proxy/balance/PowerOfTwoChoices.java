package dev.tierline.proxy.balance;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Of two distinct candidates drawn at random, the one with fewer requests in flight for its weight; the
 * default policy, as in YARP. The two are drawn uniformly, whatever their weights: weight counts in comparing
 * their loads and, when the loads are equal, in choosing between them.
 */
public final class PowerOfTwoChoices implements LoadBalancingPolicy {

    private final RandomGenerator random;

    /** @param random safe for concurrent use when the policy is shared by request threads */
    public PowerOfTwoChoices(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public <M extends Member> M pick(List<M> candidates, String hashKey) {
        int size = candidates.size();
        if (size == 1) {
            return candidates.get(0);
        }
        int first = random.nextInt(size);
        // Drawn from the others: skipping over the first keeps the two distinct and every pair equally likely.
        int second = random.nextInt(size - 1);
        if (second >= first) {
            second++;
        }
        M a = candidates.get(first);
        M b = candidates.get(second);
        double loadA = a.inFlight() / a.weight();
        double loadB = b.inFlight() / b.weight();
        if (loadA != loadB) {
            return loadA < loadB ? a : b;
        }
        // Equal loads, as when nothing is in flight: by weight, so a backend in slow start still gets less.
        return random.nextDouble() * (a.weight() + b.weight()) < a.weight() ? a : b;
    }
}
