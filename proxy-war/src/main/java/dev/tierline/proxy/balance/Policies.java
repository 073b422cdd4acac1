package dev.tierline.proxy.balance;

import dev.tierline.proxy.config.LoadBalancing;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** The load-balancing policies, by the name a cluster's configuration gives. */
public final class Policies {

    private Policies() {}

    /**
     * A new policy; each cluster needs its own, since some keep state about their candidates.
     *
     * @param random the policy's source of randomness, safe for concurrent use (see {@link #threadSafeRandom()})
     */
    public static LoadBalancingPolicy create(LoadBalancing name, RandomGenerator random) {
        return switch (name) {
            case ROUND_ROBIN -> new RoundRobin();
            case WEIGHTED_ROUND_ROBIN -> new SmoothWeightedRoundRobin();
            case LEAST_REQUESTS -> new LeastRequests(random);
            case POWER_OF_TWO_CHOICES -> new PowerOfTwoChoices(random);
            case RANDOM -> new WeightedRandom(random);
            case CONSISTENT_HASH -> new ConsistentHash();
        };
    }

    /** Random numbers from the calling thread's own generator, for policies shared by request threads. */
    public static RandomGenerator threadSafeRandom() {
        return ThreadLocalRandomSource.INSTANCE;
    }

    // ThreadLocalRandom.current() on every call, as its documentation asks: a ThreadLocalRandom held and used
    // from other threads skips their seeding, and their sequences then follow from the thread id alone.
    private enum ThreadLocalRandomSource implements RandomGenerator {
        INSTANCE;

        @Override
        public long nextLong() {
            return ThreadLocalRandom.current().nextLong();
        }

        @Override
        public int nextInt(int bound) {
            return ThreadLocalRandom.current().nextInt(bound);
        }

        @Override
        public double nextDouble() {
            return ThreadLocalRandom.current().nextDouble();
        }
    }
}
