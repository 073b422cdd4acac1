package dev.tierline.proxy.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How the web tier speaks to the app tier. */
public enum UpstreamProtocol {
    /**
     * HTTP/1.1 over a pool of keep-alive connections, one request at a time on each, as nginx speaks to
     * its upstreams (the default). The fastest for many small requests.
     */
    HTTP_1_1("http/1.1"),
    /**
     * HTTP/2 in clear text with prior knowledge: every request to a backend is a stream of one connection.
     * A request waiting on a slow backend costs a stream, not a socket and its buffers, so this is the
     * choice for many long-held requests (long polls, server-sent events).
     */
    H2C("h2c");

    private final String token;

    UpstreamProtocol(String token) {
        this.token = token;
    }

    /** The name used in configuration. */
    public String token() {
        return token;
    }

    /** Every name, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(UpstreamProtocol::token).collect(Collectors.joining(", "));
    }

    public static Optional<UpstreamProtocol> of(String token) {
        String wanted = token.toLowerCase(Locale.ROOT);
        for (UpstreamProtocol protocol : values()) {
            if (protocol.token.equals(wanted)) {
                return Optional.of(protocol);
            }
        }
        return Optional.empty();
    }
}
