package dev.tierline.proxy.config;

/**
 * A cluster's session affinity: whether, and by what, a request is bound to one backend.
 *
 * <ul>
 *   <li>{@link Mode#COOKIE}: the proxy sets a cookie naming the backend (by an opaque token, not its
 *       address) on the first answer, and sends later requests that carry it to the same backend;
 *   <li>{@link Mode#JVM_ROUTE}: Tomcat's convention, a session id ending in {@code .route} where the route is
 *       the instance's jvmRoute (a backend's {@code route}, its id unless configured), so a Tomcat app's
 *       sessions stick without the proxy setting anything.
 * </ul>
 *
 * @param cookieName the proxy's cookie, in cookie mode
 * @param whenDown what to do when the bound backend cannot take the request (down, draining, disabled)
 */
public record Affinity(Mode mode, String cookieName, WhenDown whenDown) {

    public enum Mode { NONE, COOKIE, JVM_ROUTE }

    public enum WhenDown {
        /** Choose another backend (the session may be lost, the request is not). */
        FAILOVER,
        /** Answer 503: for applications whose sessions must not move. */
        REFUSE
    }

    public static final String DEFAULT_COOKIE = "TIERLINE_AFFINITY";

    public static final Affinity NONE = new Affinity(Mode.NONE, DEFAULT_COOKIE, WhenDown.FAILOVER);
}
