package dev.tierline.proxy.balance;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The candidate that owns the request's hash key on a hash ring, so a key keeps its backend; when a backend
 * leaves, only the keys it had move, spread over the others.
 */
public final class ConsistentHash implements LoadBalancingPolicy {

    // The ring for the candidates last seen, replaced whole when their ids or weights change.
    private final AtomicReference<HashRing> ring = new AtomicReference<>(HashRing.EMPTY);

    @Override
    public <M extends Member> M pick(List<M> candidates, String hashKey) {
        Objects.requireNonNull(hashKey, "hashKey");
        HashRing current = ring.get();
        if (!current.isFor(candidates)) {
            // Each thread goes on with the ring it checked or built for its own candidates, so a race between
            // threads that see different candidates costs a rebuild, never a wrong pick.
            current = HashRing.of(candidates);
            ring.set(current);
        }
        return candidates.get(current.ownerOf(hashKey));
    }

    /** The ring in use, for tests of when it is rebuilt. */
    HashRing ring() {
        return ring.get();
    }
}
