package dev.tierline.proxy.forward;

import java.util.Set;
import java.util.TreeSet;

/**
 * Headers that describe one connection rather than the message, so a proxy must not pass them on
 * (RFC 9110 section 7.6.1): a fixed set, plus every header the {@code Connection} header names.
 */
public final class HopByHopHeaders {

    /**
     * Compared without regard to case, and without allocating, since every header of every message is
     * looked up here. Transfer-Encoding is framing: the client library frames the body again.
     */
    static final HeaderNames ALWAYS = HeaderNames.of(
            "Connection",
            "Keep-Alive",
            "Proxy-Connection",
            "Proxy-Authenticate",
            "Proxy-Authorization",
            "TE",
            "Trailer",
            "Transfer-Encoding",
            "Upgrade",
            "HTTP2-Settings");

    private final Set<String> named;

    private HopByHopHeaders(Set<String> named) {
        this.named = named;
    }

    /** The hop-by-hop set of one message, given the values of its {@code Connection} headers. */
    public static HopByHopHeaders of(Iterable<String> connectionValues) {
        Set<String> named = Set.of();
        for (String value : connectionValues) {
            if (named.isEmpty()) {
                named = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            }
            for (String token : value.split(",")) {
                String name = token.strip();
                if (!name.isEmpty()) {
                    named.add(name);
                }
            }
        }
        return new HopByHopHeaders(named);
    }

    /** True when {@code name} must not cross this proxy. */
    public boolean contains(String name) {
        return ALWAYS.contains(name) || (!named.isEmpty() && named.contains(name));
    }
}
