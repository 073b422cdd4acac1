package dev.tierline.proxy.balance;

import java.util.List;

/**
 * Chooses one backend among those that may take a request. Implementations are safe for concurrent use;
 * those that draw random numbers take their source in the constructor, so tests can make them repeatable.
 */
public interface LoadBalancingPolicy {

    /**
     * Picks one of {@code candidates}.
     *
     * @param candidates never empty; in configuration order; the set changes as backends leave and return
     * @param hashKey what the request is keyed by (a header, a cookie or the client address, as configured);
     *     only hashing policies use it, and it is never null for them
     * @return one element of {@code candidates}
     */
    <M extends Member> M pick(List<M> candidates, String hashKey);
}
