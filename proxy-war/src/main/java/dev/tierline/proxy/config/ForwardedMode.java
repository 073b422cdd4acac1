package dev.tierline.proxy.config;

/** What a route does with X-Forwarded-For/-Proto/-Host/-Port and RFC 7239 Forwarded. */
public enum ForwardedMode {
    /** Replace whatever the client sent with what this hop saw (the default). */
    SET,
    /**
     * Add this hop to what the previous hop sent, but only when that hop is a trusted load balancer;
     * from anyone else, behave as {@link #SET}.
     */
    APPEND,
    /** Send none of them. */
    DROP
}
