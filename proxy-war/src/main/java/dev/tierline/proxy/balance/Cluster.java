package dev.tierline.proxy.balance;

import dev.tierline.proxy.config.Backend;
import java.util.List;
import java.util.Optional;

/** A named group of interchangeable backends and the policy that spreads requests over them. */
public final class Cluster {

    private final String id;
    private final List<BackendState> members;
    private final LoadBalancingPolicy policy;

    public Cluster(String id, List<Backend> backends, LoadBalancingPolicy policy) {
        this.id = id;
        this.members = backends.stream().map(backend -> new BackendState(backend, 1)).toList();
        this.policy = policy;
    }

    public String id() {
        return id;
    }

    public List<BackendState> members() {
        return members;
    }

    /** The backend for the next request, or empty when the cluster has none to offer. */
    public Optional<BackendState> choose(String hashKey) {
        if (members.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(policy.pick(members, hashKey));
    }
}
