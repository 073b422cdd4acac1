package dev.tierline.proxy.forward;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Set;
import org.apache.hc.core5.http.HttpRequest;

/**
 * X-Forwarded-For, -Proto, -Host and -Port as this hop saw the request. Whatever the client sent in
 * their place is dropped, so a client cannot claim another address or scheme.
 */
final class ForwardedHeaders {

    /** Lower-case names of the headers this class owns; RFC 7239 Forwarded is dropped, not yet set. */
    private static final Set<String> REPLACED = Set.of(
            "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "forwarded");

    private ForwardedHeaders() {
    }

    static boolean isReplaced(String name) {
        return REPLACED.contains(name.toLowerCase(Locale.ROOT));
    }

    static void set(HttpServletRequest request, HttpRequest upstream) {
        upstream.setHeader("X-Forwarded-For", request.getRemoteAddr());
        upstream.setHeader("X-Forwarded-Proto", request.getScheme());
        String host = request.getHeader("Host");
        if (host != null) {
            upstream.setHeader("X-Forwarded-Host", host);
        }
        // The port the client connected to, which is not always the one in its Host header.
        upstream.setHeader("X-Forwarded-Port", Integer.toString(request.getLocalPort()));
    }
}
