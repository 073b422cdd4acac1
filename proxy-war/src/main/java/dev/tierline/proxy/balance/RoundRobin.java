package dev.tierline.proxy.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Each backend in turn, whatever its weight. */
public final class RoundRobin implements LoadBalancingPolicy {

    private final AtomicInteger counter;

    public RoundRobin() {
        this(0);
    }

    /** Starts the turns at {@code first}; tests use it to reach the counter's wrap-around. */
    RoundRobin(int first) {
        counter = new AtomicInteger(first);
    }

    @Override
    public <M extends Member> M pick(List<M> candidates, String hashKey) {
        // The counter wraps to negative after 2^31 requests; masking the sign bit keeps the index valid.
        int turn = counter.getAndIncrement() & Integer.MAX_VALUE;
        return candidates.get(turn % candidates.size());
    }
}
