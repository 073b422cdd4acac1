package dev.tierline.proxy.balance;

import dev.tierline.proxy.config.Backend;
import java.util.List;
import java.util.Optional;

/** A named group of interchangeable backends and the policy that spreads requests over them. */
public final class Cluster {

    private final String id;
    private final List<Backend> backends;
    private final LoadBalancingPolicy policy;

    public Cluster(String id, List<Backend> backends, LoadBalancingPolicy policy) {
        this.id = id;
        this.backends = List.copyOf(backends);
        this.policy = policy;
    }

    public String id() {
        return id;
    }

    public List<Backend> backends() {
        return backends;
    }

    /** The backend for the next request, or empty when the cluster has none to offer. */
    public Optional<Backend> choose() {
        if (backends.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(policy.pick(backends));
    }
}
