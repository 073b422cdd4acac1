package dev.tierline.proxy.balance;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/** The load-balancing policies by the names configuration gives them. */
public final class Policies {

    private static final Map<String, Function<RandomGenerator, LoadBalancingPolicy>> BY_NAME = byName();

    /** Every valid name, in the order the configuration documents them. */
    public static final Set<String> NAMES = Collections.unmodifiableSet(BY_NAME.keySet());

    /** The policy of a cluster that names none. */
    public static final String DEFAULT = "power-of-two-choices";

    private Policies() {}

    /**
     * A new policy; each cluster needs its own, since some keep state about their candidates.
     *
     * @param random the policy's source of randomness, safe for concurrent use (see {@link #threadSafeRandom()})
     * @throws IllegalArgumentException if {@code name} is not one of {@link #NAMES}
     */
    public static LoadBalancingPolicy create(String name, RandomGenerator random) {
        Function<RandomGenerator, LoadBalancingPolicy> constructor = BY_NAME.get(name);
        if (constructor == null) {
            throw new IllegalArgumentException(
                    "unknown load-balancing policy \"" + name + "\"; valid ones are " + String.join(", ", NAMES));
        }
        return constructor.apply(random);
    }

    /** Random numbers from the calling thread's own generator, for policies shared by request threads. */
    public static RandomGenerator threadSafeRandom() {
        return ThreadLocalRandomSource.INSTANCE;
    }

    private static Map<String, Function<RandomGenerator, LoadBalancingPolicy>> byName() {
        Map<String, Function<RandomGenerator, LoadBalancingPolicy>> byName = new LinkedHashMap<>();
        byName.put("round-robin", random -> new RoundRobin());
        byName.put("weighted-round-robin", random -> new SmoothWeightedRoundRobin());
        byName.put("least-requests", LeastRequests::new);
        byName.put("power-of-two-choices", PowerOfTwoChoices::new);
        byName.put("random", WeightedRandom::new);
        byName.put("consistent-hash", random -> new ConsistentHash());
        return byName;
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
