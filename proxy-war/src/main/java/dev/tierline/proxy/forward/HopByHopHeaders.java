package dev.tierline.proxy.forward;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Headers that describe one connection rather than the message, so a proxy must not pass them on
 * (RFC 9110 section 7.6.1): a fixed set, plus every header the {@code Connection} header names.
 */
public final class HopByHopHeaders {

    /** Lower-case names. Transfer-Encoding is framing: the client library frames the body again. */
    static final Set<String> ALWAYS = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "http2-settings");

    private final Set<String> named;

    private HopByHopHeaders(Set<String> named) {
        this.named = named;
    }

    /** The hop-by-hop set of one message, given the values of its {@code Connection} headers. */
    public static HopByHopHeaders of(Iterable<String> connectionValues) {
        Set<String> named = Set.of();
        for (String value : connectionValues) {
            if (named.isEmpty()) {
                named = new HashSet<>();
            }
            for (String token : value.split(",")) {
                String name = token.strip().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    named.add(name);
                }
            }
        }
        return new HopByHopHeaders(named);
    }

    /** True when {@code name} must not cross this proxy. */
    public boolean contains(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return ALWAYS.contains(lower) || named.contains(lower);
    }
}
