package dev.tierline.proxy.config;

import java.net.InetAddress;
import java.util.Optional;

/**
 * How the web tier speaks to the app tier, whatever the routes: read once, at start.
 *
 * @param protocol HTTP/1.1 over pooled connections, or h2c
 * @param sourceAddress the local address to connect from, so the app tier can tell the web tier apart
 * @param maxConnectionsPerBackend the connection pool's size per backend (HTTP/1.1 only)
 * @param trust the certificates trusted for backends named https://, or empty for the JDK's own
 */
public record UpstreamSettings(UpstreamProtocol protocol, Optional<InetAddress> sourceAddress,
        int maxConnectionsPerBackend, Optional<UpstreamTrust> trust) {

    /** A ceiling, not a reservation: as many as a default Tomcat connector accepts (maxConnections). */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_BACKEND = 8192;

    public static final UpstreamSettings DEFAULT =
            new UpstreamSettings(UpstreamProtocol.HTTP_1_1, Optional.empty(), DEFAULT_MAX_CONNECTIONS_PER_BACKEND,
                    Optional.empty());
}
