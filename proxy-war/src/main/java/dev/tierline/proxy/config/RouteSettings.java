package dev.tierline.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How a route forwards: its timeouts, the largest body it takes and what it tells the backend about the client.
 *
 * @param connectTimeout how long a backend may take to accept a connection
 * @param responseTimeout how long a backend may stay silent: before its response head, and between reads
 *     of its body (like nginx's proxy_read_timeout)
 * @param maxBodyBytes the largest request body the route takes, or {@link #UNLIMITED}: larger ones get 413,
 *     before forwarding when the Content-Length says so, and as soon as a body without one grows past it
 * @param forwarded what to do with X-Forwarded-* and Forwarded
 * @param trustedProxies the load balancers whose X-Forwarded-* and Forwarded are appended to (APPEND only)
 * @param preserveHost send the client's Host header upstream instead of the backend's
 * @param idempotencyKeyRetries whether a POST or PATCH with an Idempotency-Key header may be sent to another
 *     backend after the first failed before answering (the app promises to run such a request once)
 * @param retryMethods the methods sent to another backend after one failed before answering; never POST
 *     nor PATCH, which only an Idempotency-Key makes safe to repeat
 * @param redirectToHttps whether a request over plain HTTP is answered with a redirect (308, so the method
 *     and body are kept) to the same address over HTTPS instead of being forwarded
 * @param requestHeaders changes to the request's headers on the way to the backend
 * @param responseHeaders changes to the backend's response headers on the way to the client
 * @param allow the client addresses the route answers, or empty for every one; others get 403
 * @param deny client addresses the route refuses with 403, whatever {@code allow} says
 * @param compression whether the web tier may gzip the route's responses for clients that accept it (the
 *     connector decides the rest: type, size, a body the backend encoded already is never compressed again)
 * @param webSocket whether and how WebSocket handshakes are tunnelled to the backend
 */
public record RouteSettings(Duration connectTimeout, Duration responseTimeout, long maxBodyBytes,
        ForwardedMode forwarded, List<AddressRange> trustedProxies, boolean preserveHost,
        boolean idempotencyKeyRetries, Set<String> retryMethods, boolean redirectToHttps,
        HeaderRules requestHeaders, HeaderRules responseHeaders, List<AddressRange> allow, List<AddressRange> deny,
        boolean compression, WebSocketSettings webSocket) {

    /** No limit on a request body's size. */
    public static final long UNLIMITED = -1;

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    /** RFC 9110 section 9.2.2: the methods whose repetition has the effect of one request (TRACE is not forwarded). */
    public static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

    /** A route that says nothing but where it goes. */
    public static final RouteSettings DEFAULT = new RouteSettings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT,
            UNLIMITED, ForwardedMode.SET, List.of(), false, false, IDEMPOTENT_METHODS, false, HeaderRules.NONE,
            HeaderRules.NONE, List.of(), List.of(), true, WebSocketSettings.DEFAULT);

    public RouteSettings {
        trustedProxies = List.copyOf(trustedProxies);
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        retryMethods = Set.copyOf(retryMethods);
    }

    /** True when a client at {@code remoteAddress} may use the route: not denied, and allowed if a list says who. */
    public boolean admits(String remoteAddress) {
        return !AddressRange.anyContains(deny, remoteAddress)
                && (allow.isEmpty() || AddressRange.anyContains(allow, remoteAddress));
    }

    /** True when the request's immediate peer may add to the forwarding headers. */
    public boolean trusts(String remoteAddress) {
        return AddressRange.anyContains(trustedProxies, remoteAddress);
    }
}
