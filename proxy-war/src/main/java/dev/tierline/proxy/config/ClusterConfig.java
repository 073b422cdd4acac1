package dev.tierline.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A named group of interchangeable backends and how requests are spread over them.
 *
 * @param idleTimeout how long a pooled connection to one of the backends may stay unused before it is no
 *     longer reused: below the backends' own keep-alive timeout, so the proxy never sends a request down a
 *     connection the backend is closing
 * @param maxAttempts how many backends one request may be tried on, the first included
 * @param retryBudget retries as a share of requests (0.2: at most 20% more load)
 * @param probe the active health check, if any
 */
public record ClusterConfig(String id, List<BackendConfig> backends, LoadBalancing loadBalancing, HashKey hashKey,
        Duration idleTimeout, Affinity affinity, HealthRules health, int maxAttempts, double retryBudget,
        Optional<ProbeRules> probe) {

    /** Below Tomcat's keep-alive timeout (its connectionTimeout, 20 s in tomcat-conf), so the proxy closes first. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_ATTEMPTS = 2;
    public static final double DEFAULT_RETRY_BUDGET = 0.2;
    /** Retries saved for a quiet cluster, on top of the share each request earns: not configurable. */
    public static final double SAVED_RETRIES = 10;

    public ClusterConfig {
        backends = List.copyOf(backends);
    }

    /** A cluster of {@code backends} with every default but the policy and the health rules. */
    public static ClusterConfig of(String id, List<Backend> backends, LoadBalancing loadBalancing, HealthRules health) {
        return new ClusterConfig(id, backends.stream().map(BackendConfig::of).toList(), loadBalancing,
                HashKey.CLIENT_ADDRESS, DEFAULT_IDLE_TIMEOUT, Affinity.NONE, health, DEFAULT_MAX_ATTEMPTS,
                DEFAULT_RETRY_BUDGET, Optional.empty());
    }
}
