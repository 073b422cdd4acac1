package dev.tierline.proxy.forward;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hc.core5.http.Header;

/** Trailer fields on their way through the proxy, in either direction. */
final class Trailers {

    private Trailers() {
    }

    /**
     * Fields that a trailer must not carry (RFC 9110 section 6.5.1): framing, routing, authentication and the
     * like, which a recipient could take for the head's; dropped rather than passed on.
     */
    private static final Set<String> PROHIBITED = Set.of("content-length", "transfer-encoding", "content-type",
            "content-encoding", "content-range", "trailer", "host", "connection", "keep-alive", "te", "upgrade",
            "authorization", "proxy-authorization", "www-authenticate", "proxy-authenticate", "set-cookie", "cookie",
            "cache-control", "expires", "date", "location", "retry-after", "vary", "age", "max-forwards");

    /** The fields as a name-to-value map, several of one name joined with commas, the prohibited ones left out. */
    static Map<String, String> relayed(List<? extends Header> fields) {
        Map<String, String> relayed = new LinkedHashMap<>();
        for (Header field : fields) {
            if (allowed(field.getName())) {
                relayed.merge(field.getName().toLowerCase(Locale.ROOT), field.getValue(), (a, b) -> a + ", " + b);
            }
        }
        return Map.copyOf(relayed);
    }

    /** Whether a trailer field of this name is passed on. */
    static boolean allowed(String name) {
        return !PROHIBITED.contains(name.toLowerCase(Locale.ROOT));
    }
}
