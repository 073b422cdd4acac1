package dev.tierline.proxy.config;

/**
 * What one client (one remote address) may ask of the web tier at once, whatever the route.
 *
 * @param maxConcurrentRequests the most requests one address may have in flight; more get 429 with
 *     Retry-After, as nginx's limit_conn answers them; 0 for no limit
 */
public record ClientLimits(int maxConcurrentRequests) {

    public static final ClientLimits UNLIMITED = new ClientLimits(0);

    public boolean limitsConcurrency() {
        return maxConcurrentRequests > 0;
    }
}
