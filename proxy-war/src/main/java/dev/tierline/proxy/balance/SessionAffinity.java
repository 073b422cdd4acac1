package dev.tierline.proxy.balance;

import dev.tierline.proxy.config.Affinity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** A cluster's session affinity ({@link Affinity}) at work: which member a request is bound to, if any. */
final class SessionAffinity {

    static final String TOMCAT_SESSION_COOKIE = "JSESSIONID";

    private final String clusterId;
    private final Affinity affinity;

    SessionAffinity(String clusterId, Affinity affinity) {
        this.clusterId = clusterId;
        this.affinity = affinity;
    }

    /** Whether a request bound to a member that cannot take it goes elsewhere (else it is refused). */
    boolean failsOver() {
        return affinity.whenDown() == Affinity.WhenDown.FAILOVER;
    }

    /** The member the request is bound to, when it carries a binding that names one of {@code members}. */
    Optional<BackendState> boundMember(RequestKeys request, List<BackendState> members) {
        if (affinity.mode() == Affinity.Mode.COOKIE) {
            String token = request.cookie(affinity.cookieName());
            if (token != null) {
                for (BackendState member : members) {
                    if (token.equals(token(member))) {
                        return Optional.of(member);
                    }
                }
            }
        } else if (affinity.mode() == Affinity.Mode.JVM_ROUTE) {
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
    Optional<String> cookieFor(BackendState member) {
        if (affinity.mode() != Affinity.Mode.COOKIE) {
            return Optional.empty();
        }
        return Optional.of(affinity.cookieName() + "=" + token(member) + "; Path=/; HttpOnly; SameSite=Lax");
    }

    /** An opaque, stable name for a member: the cookie shows neither its address nor its id. */
    private String token(BackendState member) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((clusterId + "/" + member.backend().id()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
