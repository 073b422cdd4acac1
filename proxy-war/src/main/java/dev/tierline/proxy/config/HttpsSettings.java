package dev.tierline.proxy.config;

import java.util.Optional;

/**
 * What the web tier, where HTTPS ends, tells clients about it.
 *
 * @param strictTransportSecurity the {@code Strict-Transport-Security} value sent on every response over HTTPS
 *     (a backend's own replaces it), or empty for none
 * @param port the HTTPS port clients reach the web tier on, where routes that redirect to HTTPS send them
 */
public record HttpsSettings(Optional<String> strictTransportSecurity, int port) {

    /** A year, as the HSTS preload list asks; subdomains are the site's own decision, so not included. */
    public static final String DEFAULT_STRICT_TRANSPORT_SECURITY = "max-age=31536000";
    public static final int DEFAULT_PORT = 443;

    public static final HttpsSettings DEFAULT = new HttpsSettings(Optional.of(DEFAULT_STRICT_TRANSPORT_SECURITY),
            DEFAULT_PORT);

    /** The HTTPS address of what a client asked for over HTTP: its host, this port, its path and query. */
    public String redirect(String host, String requestUri, String query) {
        StringBuilder location = new StringBuilder("https://").append(host);
        if (port != DEFAULT_PORT) {
            location.append(':').append(port);
        }
        location.append(requestUri);
        if (query != null) {
            location.append('?').append(query);
        }
        return location.toString();
    }
}
