package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.config.RouteSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Copies a backend's response head to the client: end-to-end headers only, with the backend's own
 * address in Location, Content-Location and Refresh, and its path in Set-Cookie, replaced by the public
 * ones (as nginx's default proxy_redirect does). Cookie names are never touched.
 */
final class ResponseHeaders {

    private final String backendOrigin;
    private final String backendPrefix;
    private final String backendHost;
    private final String publicOrigin;
    private final String publicPrefix;
    private final String publicHost;

    private ResponseHeaders(Backend backend, HttpServletRequest request) {
        this.backendOrigin = backend.origin();
        this.backendPrefix = backend.basePath();
        this.backendHost = backend.host();
        String host = request.getHeader("Host");
        this.publicOrigin = request.getScheme() + "://" + (host != null ? host
                : request.getServerName() + ":" + request.getServerPort());
        this.publicPrefix = request.getContextPath();
        this.publicHost = request.getServerName();
    }

    /** The headers that may carry the backend's address or path. */
    private static final HeaderNames REWRITTEN = HeaderNames.of("Location", "Content-Location", "Refresh", "Set-Cookie");

    /**
     * The backend's status and head as the client gets them: its end-to-end headers (rewritten), this hop in Via,
     * the request id, the affinity cookie, then the route's own changes.
     */
    static void relay(HttpResponse head, BackendChoice choice, RouteSettings route, String requestId,
            HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(head.getCode());
        copy(head, choice.backend(), request, response);
        Header via = head.getFirstHeader("Via");
        response.setHeader("Via", via == null ? RequestHeaders.VIA : via.getValue() + ", " + RequestHeaders.VIA);
        response.setHeader(RequestHeaders.REQUEST_ID, requestId);
        choice.affinityCookie().ifPresent(cookie -> response.addHeader("Set-Cookie", cookie));
        if (!route.responseHeaders().isEmpty()) {
            route.responseHeaders().apply(name -> response.setHeader(name, null), response::setHeader,
                    response::addHeader);
        }
    }

    static void copy(HttpResponse upstream, Backend backend, HttpServletRequest request, HttpServletResponse response) {
        HopByHopHeaders hopByHop = HopByHopHeaders.of(
                Arrays.stream(upstream.getHeaders("Connection")).map(Header::getValue).toList());
        ResponseHeaders rewriter = null;
        for (Header header : upstream.getHeaders()) {
            String name = header.getName();
            if (hopByHop.contains(name)) {
                continue;
            }
            String value = header.getValue();
            if (REWRITTEN.contains(name)) {
                if (rewriter == null) {
                    rewriter = new ResponseHeaders(backend, request);
                }
                value = rewriter.rewrite(name, value);
            }
            if (name.equalsIgnoreCase("Strict-Transport-Security")) {
                // The backend's own policy replaces the web tier's default, rather than being sent beside it.
                response.setHeader(name, value);
            } else {
                response.addHeader(name, value);
            }
        }
    }

    private String rewrite(String name, String value) {
        if (name.equalsIgnoreCase("Set-Cookie")) {
            return cookie(value);
        }
        if (name.equalsIgnoreCase("Refresh")) {
            return refresh(value);
        }
        return url(value);
    }

    /** An absolute URL on the backend, or an absolute path under its prefix, made public. */
    String url(String value) {
        if (value.startsWith("/") && !value.startsWith("//")) {
            return hasPrefix(value, backendPrefix) ? publicPrefix + value.substring(backendPrefix.length()) : value;
        }
        if (!startsWithIgnoreCase(value, backendOrigin)) {
            return value;
        }
        String path = value.substring(backendOrigin.length());
        // "http://h:5000" must not match "http://h:50001/": the origin has to end where the path begins.
        boolean sameOrigin = path.isEmpty() || "/?#".indexOf(path.charAt(0)) >= 0;
        if (!sameOrigin || !hasPrefix(path, backendPrefix)) {
            return value;
        }
        return publicOrigin + publicPrefix + path.substring(backendPrefix.length());
    }

    /** {@code Refresh: 5; url=...}: the URL part is rewritten like Location. */
    private String refresh(String value) {
        int url = value.toLowerCase(Locale.ROOT).indexOf("url=");
        if (url < 0) {
            return value;
        }
        return value.substring(0, url + 4) + url(value.substring(url + 4).strip());
    }

    /** Path under the backend's prefix moves under the public prefix; the backend's host as Domain becomes the public one. */
    String cookie(String value) {
        String[] parts = value.split(";", -1);
        List<String> rewritten = new ArrayList<>(parts.length);
        rewritten.add(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i];
            String trimmed = attribute.strip();
            int equals = trimmed.indexOf('=');
            String key = equals < 0 ? trimmed : trimmed.substring(0, equals).strip();
            String attributeValue = equals < 0 ? "" : trimmed.substring(equals + 1).strip();
            if (key.equalsIgnoreCase("path") && hasPrefix(attributeValue, backendPrefix) && !backendPrefix.equals(publicPrefix)) {
                String path = publicPrefix + attributeValue.substring(backendPrefix.length());
                attribute = " " + key + "=" + (path.isEmpty() ? "/" : path);
            } else if (key.equalsIgnoreCase("domain") && stripDot(attributeValue).equalsIgnoreCase(backendHost)) {
                attribute = " " + key + "=" + publicHost;
            }
            rewritten.add(attribute);
        }
        return String.join(";", rewritten);
    }

    private static String stripDot(String domain) {
        return domain.startsWith(".") ? domain.substring(1) : domain;
    }

    /** True when {@code path} is {@code prefix} or continues it with '/', '?' or '#'. */
    private static boolean hasPrefix(String path, String prefix) {
        if (prefix.isEmpty()) {
            return true;
        }
        if (!path.startsWith(prefix)) {
            return false;
        }
        if (path.length() == prefix.length()) {
            return true;
        }
        char next = path.charAt(prefix.length());
        return next == '/' || next == '?' || next == '#';
    }

    private static boolean startsWithIgnoreCase(String value, String prefix) {
        return value.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
