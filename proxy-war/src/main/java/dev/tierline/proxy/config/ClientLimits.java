package dev.tierline.proxy.config;

import java.time.Duration;

/**
 * What one client (one remote address) may ask of the web tier, whatever the route.
 *
 * @param maxConcurrentRequests the most requests one address may have in flight; more get 429 with
 *     Retry-After, as nginx's limit_conn answers them; 0 for no limit
 * @param bodyTimeout how long, in all, the proxy waits on a client for its request body, beyond what
 *     {@code minBodyRate} earns it; {@link Duration#ZERO} for no limit. Only time spent waiting on the client
 *     counts: a backend that is slow to take the body slows the client down without counting against it.
 * @param minBodyRate bytes per second: each {@code minBodyRate} bytes of body the client sends earn it one
 *     more second (Apache's mod_reqtimeout {@code body=20,MinRate=500}). A client that trickles its body
 *     slower than that (a slow-body attack) gets 408 and its upstream request is cut off; 0 for none
 */
public record ClientLimits(int maxConcurrentRequests, Duration bodyTimeout, long minBodyRate) {

    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(20);
    public static final long DEFAULT_MIN_BODY_RATE = 500;

    public static final ClientLimits DEFAULT = new ClientLimits(0, DEFAULT_BODY_TIMEOUT, DEFAULT_MIN_BODY_RATE);

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    public boolean limitsConcurrency() {
        return maxConcurrentRequests > 0;
    }

    public boolean limitsBodyPace() {
        return !bodyTimeout.isZero();
    }

    /**
     * How long a client that has sent {@code received} bytes of its body may have kept the proxy waiting for
     * them, in nanoseconds.
     */
    public long bodyWaitAllowedNanos(long received) {
        long earned;
        if (minBodyRate == 0) {
            earned = 0;
        } else if (received < Long.MAX_VALUE / NANOS_PER_SECOND) {
            earned = received * NANOS_PER_SECOND / minBodyRate;
        } else {
            earned = Long.MAX_VALUE;
        }
        // Each part at most a quarter of the range, so the sum is never past half of it: as good as forever.
        long grace = bodyTimeout.compareTo(FOREVER) >= 0 ? FOREVER.toNanos() : bodyTimeout.toNanos();
        return Math.min(earned, FOREVER.toNanos()) + grace;
    }

    /** A quarter of the nanoseconds a long holds, some 730 years. */
    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE / 4);
}
