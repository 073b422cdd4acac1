package dev.tierline.proxy.balance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Session affinity: which backend a request is bound to, if any.
 *
 * <ul>
 *   <li>{@link Mode#COOKIE}: the proxy sets a cookie naming the backend (by an opaque token, not its
 *       address) on the first answer, and sends later requests that carry it to the same backend;
 *   <li>{@link Mode#JVM_ROUTE}: Tomcat's convention, a session id ending in {@code .route} where the route is
 *       the instance's jvmRoute (a backend's {@code route}, its id unless configured), so a Tomcat app's
 *       sessions stick without the proxy setting anything.
 * </ul>
 *
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
    static final String TOMCAT_SESSION_COOKIE = "JSESSIONID";

    public static final Affinity NONE = new Affinity(Mode.NONE, DEFAULT_COOKIE, WhenDown.FAILOVER);

    /** The member the request is bound to, when it carries a binding that names one of {@code members}. */
    Optional<BackendState> boundMember(RequestKeys request, String clusterId, List<BackendState> members) {
        if (mode == Mode.COOKIE) {
            String token = request.cookie(cookieName);
            if (token != null) {
                for (BackendState member : members) {
                    if (token.equals(token(clusterId, member))) {
                        return Optional.of(member);
                    }
                }
            }
        } else if (mode == Mode.JVM_ROUTE) {
            String session = request.cookie(TOMCAT_SESSION_COOKIE);
            int dot = session == null ? -1 : session.lastIndexOf('.');
            if (dot >= 0) {
                String route = session.substring(dot + 1);
                for (BackendState member : members) {
                    if (route.equals(member.route())) {
                        return Optional.of(member);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The Set-Cookie that binds later requests to {@code member}, in cookie mode. */
    Optional<String> cookieFor(String clusterId, BackendState member) {
        if (mode != Mode.COOKIE) {
            return Optional.empty();
        }
        return Optional.of(cookieName + "=" + token(clusterId, member) + "; Path=/; HttpOnly; SameSite=Lax");
    }

    /** An opaque, stable name for a member: the cookie shows neither its address nor its id. */
    static String token(String clusterId, BackendState member) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((clusterId + "/" + member.backend().id()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
