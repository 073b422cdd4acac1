package dev.tierline.proxy.config;

/**
 * One app-tier instance the web tier forwards to: where it listens, and the path prefix its application
 * lives under ({@code ""} for a ROOT application).
 */
public record Backend(String id, String scheme, String host, int port, String basePath) {

    /** {@code scheme://host:port}, with IPv6 hosts bracketed. */
    public String origin() {
        return origin(scheme, host, port);
    }

    /** {@code scheme://host:port}, with IPv6 hosts bracketed: what connections to a backend are pooled by. */
    public static String origin(String scheme, String host, int port) {
        return scheme + "://" + authority(host, port);
    }

    /** {@code host:port}, with an IPv6 host bracketed: the backend's Host header. */
    public String authority() {
        return authority(host, port);
    }

    private static String authority(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return id;
    }
}
