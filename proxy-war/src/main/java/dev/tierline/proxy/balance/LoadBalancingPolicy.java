package dev.tierline.proxy.balance;

import dev.tierline.proxy.config.Backend;
import java.util.List;

/** Chooses one backend among those available for a request. */
public interface LoadBalancingPolicy {

    /**
     * Picks one of {@code candidates}, which is never empty.
     *
     * @param candidates the backends that may take the request, in configuration order
     * @return one element of {@code candidates}
     */
    Backend pick(List<Backend> candidates);
}
