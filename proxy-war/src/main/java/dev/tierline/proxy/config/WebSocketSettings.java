package dev.tierline.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Whether, and how, a route tunnels WebSocket connections to its backends.
 *
 * @param enabled whether a WebSocket handshake is forwarded; when not, it is refused with 403
 * @param origins the browser origins ({@code https://app.example.com}) whose pages may open a tunnel, or empty
 *     for any; a handshake without an Origin header is from no browser and is not checked (anything but a
 *     browser can claim any origin)
 * @param idleTimeout how long a tunnel may carry nothing either way before it is closed (nginx's
 *     proxy_read_timeout, HAProxy's timeout tunnel); the container gives upgraded connections no timeout
 * @param maxTunnels how many of the route's tunnels may be open at once; past it a handshake gets 503
 */
public record WebSocketSettings(boolean enabled, List<String> origins, Duration idleTimeout, int maxTunnels) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Half the web tier's default connection limit: tunnels alone cannot take every connection. */
    public static final int DEFAULT_MAX_TUNNELS = 10_000;

    public static final WebSocketSettings DEFAULT =
            new WebSocketSettings(true, List.of(), DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_TUNNELS);

    public WebSocketSettings {
        origins = origins.stream().map(WebSocketSettings::normalised).toList();
    }

    /** True when a handshake with this Origin header (null when absent) may open a tunnel. */
    public boolean admitsOrigin(String origin) {
        return origins.isEmpty() || origin == null || origins.contains(normalised(origin));
    }

    /** Scheme and host are case-insensitive (RFC 6454 section 4); a trailing slash is not part of an origin. */
    private static String normalised(String origin) {
        String lower = origin.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
