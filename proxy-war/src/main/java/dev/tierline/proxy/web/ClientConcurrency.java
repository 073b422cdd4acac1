package dev.tierline.proxy.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests in flight per client address, against a limit, as nginx's {@code limit_conn} counts them: one client
 * cannot take every connection to the backends. An address is forgotten when its last request ends, so the
 * map holds only the clients with a request in flight.
 */
final class ClientConcurrency {

    private final int limit;
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

    /** @param limit the most requests one address may have in flight, at least 1 */
    ClientConcurrency(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: at least 1, not " + limit);
        }
        this.limit = limit;
    }

    /** Counts a request of {@code address} in, unless it has as many in flight as the limit; true when counted. */
    boolean tryAcquire(String address) {
        boolean[] acquired = {false};
        inFlight.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= limit) {
                return count;
            }
            acquired[0] = true;
            return now + 1;
        });
        return acquired[0];
    }

    /** Counts a request of {@code address} out; once for each {@link #tryAcquire} that returned true. */
    void release(String address) {
        inFlight.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
    }

    /** The requests of {@code address} in flight now. */
    int inFlight(String address) {
        return inFlight.getOrDefault(address, 0);
    }
}
