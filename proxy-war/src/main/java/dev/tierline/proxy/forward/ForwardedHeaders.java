package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.ForwardedMode;
import dev.tierline.proxy.config.RouteSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hc.core5.http.HttpRequest;

/**
 * X-Forwarded-For, -Proto, -Host and -Port and RFC 7239 Forwarded, as the route says: set to what this hop
 * saw (whatever the client claimed is dropped), appended to what a trusted load balancer sent, or dropped.
 */
final class ForwardedHeaders {

    private static final String FOR = "X-Forwarded-For";
    private static final String PROTO = "X-Forwarded-Proto";
    private static final String HOST = "X-Forwarded-Host";
    private static final String PORT = "X-Forwarded-Port";
    private static final String FORWARDED = "Forwarded";
    private static final String REAL_IP = "X-Real-IP";

    /**
     * Headers by which proxies, CDNs and load balancers name the client, each of which an app or a framework
     * may believe. From a client they are claims of an identity this hop sets itself: only X-Real-IP is sent,
     * with the address this hop saw, and the others not at all, unless a trusted load balancer sent them.
     */
    private static final List<String> CLIENT_IDENTITY = List.of("True-Client-IP", "X-Client-IP", "Client-IP",
            "X-Cluster-Client-IP", "CF-Connecting-IP", "Fastly-Client-IP", "X-Originating-IP", "X-Remote-IP",
            "X-Remote-Addr", "X-ProxyUser-Ip", "X-Original-Forwarded-For", "X-Forwarded", "Forwarded-For");

    /** The headers this class owns; the copy of the client's headers skips them. */
    private static final HeaderNames OWNED = HeaderNames.of(Stream.concat(
            Stream.of(FOR, PROTO, HOST, PORT, FORWARDED, REAL_IP), CLIENT_IDENTITY.stream()).toArray(String[]::new));

    private ForwardedHeaders() {
    }

    static boolean isOwned(String name) {
        return OWNED.contains(name);
    }

    static void apply(HttpServletRequest request, HttpRequest upstream, RouteSettings route) {
        ForwardedMode mode = route.forwarded();
        if (mode == ForwardedMode.DROP) {
            return;
        }
        String client = request.getRemoteAddr();
        String proto = request.getScheme();
        String host = request.getHeader("Host");
        String port = Integer.toString(request.getLocalPort());
        boolean append = mode == ForwardedMode.APPEND && route.trusts(client);
        if (append) {
            // The load balancer in front names the client: its word goes through as it came.
            for (String name : CLIENT_IDENTITY) {
                if (request.getHeader(name) != null) {
                    upstream.setHeader(name, joined(request, name));
                }
            }
            copyOrSet(request, upstream, REAL_IP, client);
        } else {
            upstream.setHeader(REAL_IP, client);
        }
        if (append && request.getHeader(FOR) != null) {
            // The load balancer in front saw the client; this hop adds the load balancer's address.
            upstream.setHeader(FOR, joined(request, FOR) + ", " + client);
            copyOrSet(request, upstream, PROTO, proto);
            copyOrSet(request, upstream, HOST, host);
            copyOrSet(request, upstream, PORT, port);
        } else {
            upstream.setHeader(FOR, client);
            upstream.setHeader(PROTO, proto);
            if (host != null) {
                upstream.setHeader(HOST, host);
            }
            upstream.setHeader(PORT, port);
        }
        String element = forwardedElement(client, proto, host);
        if (append && request.getHeader(FORWARDED) != null) {
            upstream.setHeader(FORWARDED, joined(request, FORWARDED) + ", " + element);
        } else {
            upstream.setHeader(FORWARDED, element);
        }
    }

    /** One RFC 7239 forwarded-element: for, proto and host, quoted where the grammar needs it. */
    static String forwardedElement(String client, String proto, String host) {
        StringBuilder element = new StringBuilder(32 + client.length() + (host == null ? 0 : host.length()))
                .append("for=");
        if (client.indexOf(':') >= 0) {
            element.append("\"[").append(client).append("]\"");
        } else {
            element.append(client);
        }
        element.append(";proto=").append(proto);
        if (host != null && !host.isEmpty()) {
            element.append(";host=").append(isToken(host) ? host : quoted(host));
        }
        return element.toString();
    }

    private static void copyOrSet(HttpServletRequest request, HttpRequest upstream, String name, String value) {
        String received = request.getHeader(name);
        if (received != null) {
            upstream.setHeader(name, joined(request, name));
        } else if (value != null) {
            upstream.setHeader(name, value);
        }
    }

    private static String joined(HttpServletRequest request, String name) {
        return String.join(", ", Collections.list(request.getHeaders(name)));
    }

    private static boolean isToken(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!token) {
                return false;
            }
        }
        return !value.isEmpty();
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
