package dev.tierline.proxy.forward;

import java.nio.charset.StandardCharsets;

/**
 * Builds the request target sent to a backend: its base path, then the request's path (already decoded
 * and normalised by the container) with each segment encoded again, then the query exactly as received.
 *
 * <p>Because the path was normalised before it is encoded, and ';' and '%' are always encoded again,
 * nothing the client sends ({@code ..;/}, {@code %2e%2e}, double encoding) can make the backend resolve a
 * path outside the base path.
 */
public final class UpstreamTarget {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UpstreamTarget() {
    }

    /**
     * @param basePath the backend's path prefix, {@code ""} or starting with '/' and not ending with it
     * @param path the decoded, normalised path within the proxy's mapping, starting with '/'
     * @param rawQuery the query string as the client sent it, or null
     */
    public static String of(String basePath, String path, String rawQuery) {
        StringBuilder target = new StringBuilder(basePath.length() + path.length() + 16).append(basePath);
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c == '/' || isPathChar(c)) {
                target.append((char) c);
            } else {
                target.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        if (rawQuery != null) {
            target.append('?').append(rawQuery);
        }
        return target.toString();
    }

    /**
     * True when a segment of {@code path} (decoded) is "." or ".." followed by a path parameter, such as
     * {@code ..;x} (sent as {@code ..;x} or {@code ..%3Bx}). The container has stepped over none of them, and
     * upstream it goes re-encoded as {@code ..%3Bx}, harmless to Tomcat; but a backend that decodes once and
     * then drops path parameters would read a step out of the route's prefix.
     */
    public static boolean hasDotSegmentWithParameter(String path) {
        for (int dots = path.indexOf(".;"); dots >= 0; dots = path.indexOf(".;", dots + 1)) {
            int start = dots > 0 && path.charAt(dots - 1) == '.' ? dots - 1 : dots;
            if (start == 0 || path.charAt(start - 1) == '/') {
                return true;
            }
        }
        return false;
    }

    /**
     * RFC 3986 pchar, less ';' (Tomcat and others read it as a path parameter) and '%' (always re-encoded,
     * so a decoded "%2e" cannot become "." upstream).
     */
    private static boolean isPathChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,=:@".indexOf(c) >= 0;
    }
}
