package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.RouteSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.net.URIAuthority;

/** The client's request head as the backend gets it. */
final class RequestHeaders {

    /** This hop in Via (RFC 9110 section 7.6.3): protocol version and a pseudonym, not a host name. */
    static final String VIA = "1.1 tierline";
    static final String REQUEST_ID = "X-Request-Id";

    private RequestHeaders() {
    }

    /**
     * Copies the end-to-end headers, then adds this hop's: X-Forwarded-* and Forwarded as the route says,
     * Via, and the request id.
     */
    static void copy(HttpServletRequest request, HttpRequest upstream, RouteSettings route, String requestId) {
        HopByHopHeaders hopByHop = HopByHopHeaders.of(Collections.list(request.getHeaders("Connection")));
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            if (hopByHop.contains(name) || ForwardedHeaders.isOwned(name) || isSetHere(name)) {
                continue;
            }
            for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                upstream.addHeader(name, values.nextElement());
            }
        }
        ForwardedHeaders.apply(request, upstream, route);
        List<String> via = Collections.list(request.getHeaders("Via"));
        String hop = viaFor(request.getProtocol());
        upstream.setHeader("Via", via.isEmpty() ? hop : String.join(", ", via) + ", " + hop);
        upstream.setHeader(REQUEST_ID, requestId);
        if (!route.requestHeaders().isEmpty()) {
            route.requestHeaders().apply(upstream::removeHeaders, upstream::setHeader, upstream::addHeader);
        }
    }

    /** This hop in the request's Via: the protocol the request was received in, HTTP/2 over h2 ("2 tierline"). */
    static String viaFor(String protocol) {
        return switch (protocol) {
            case "HTTP/2.0" -> VIA_2;
            case "HTTP/1.0" -> VIA_1_0;
            default -> VIA;
        };
    }

    private static final String VIA_2 = "2 tierline";
    private static final String VIA_1_0 = "1.0 tierline";

    /**
     * Sends the client's Host instead of the backend's: as the request's authority, which becomes the Host
     * header in HTTP/1.1 and :authority in HTTP/2 (where a Host header beside it must agree with it).
     * Tomcat has already refused a Host that is not a valid authority.
     */
    static void preserveHost(HttpServletRequest request, HttpRequest upstream) {
        String host = request.getHeader("Host");
        if (host == null || host.isEmpty()) {
            return;
        }
        try {
            upstream.setAuthority(URIAuthority.create(host));
        } catch (URISyntaxException e) {
            // Keeps the backend's.
        }
    }

    /**
     * Headers this hop writes itself: Host (the backend's, unless the route preserves the client's),
     * Content-Length (from the body), Expect (the client library sends it when the client did), Via and
     * X-Request-Id.
     */
    private static boolean isSetHere(String name) {
        return SET_HERE.contains(name);
    }

    private static final HeaderNames SET_HERE = HeaderNames.of("Host", "Content-Length", "Expect", "Via", REQUEST_ID);
}
