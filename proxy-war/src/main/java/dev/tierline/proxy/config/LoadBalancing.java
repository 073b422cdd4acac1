package dev.tierline.proxy.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The load-balancing policies a cluster may name, in the order the configuration documents them. */
public enum LoadBalancing {
    ROUND_ROBIN("round-robin"),
    WEIGHTED_ROUND_ROBIN("weighted-round-robin"),
    LEAST_REQUESTS("least-requests"),
    POWER_OF_TWO_CHOICES("power-of-two-choices"),
    RANDOM("random"),
    CONSISTENT_HASH("consistent-hash");

    /** The policy of a cluster that names none, as in YARP. */
    public static final LoadBalancing DEFAULT = POWER_OF_TWO_CHOICES;

    private final String token;

    LoadBalancing(String token) {
        this.token = token;
    }

    /** The name used in configuration. */
    public String token() {
        return token;
    }

    /** The policy of that name, compared exactly; empty when there is none. */
    public static Optional<LoadBalancing> of(String token) {
        return Arrays.stream(values()).filter(policy -> policy.token.equals(token)).findFirst();
    }

    /**
     * The policy of that name.
     *
     * @throws IllegalArgumentException naming every valid name, when {@code token} is none of them
     */
    public static LoadBalancing parse(String token) {
        return of(token).orElseThrow(() -> new IllegalArgumentException(
                "unknown load-balancing policy \"" + token + "\"; valid ones are " + names()));
    }

    /** Every name, comma-separated, in order. */
    public static String names() {
        return Arrays.stream(values()).map(LoadBalancing::token).collect(Collectors.joining(", "));
    }
}
