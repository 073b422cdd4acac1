package dev.tierline.proxy.forward;

import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the container hands the client's connection to once it has sent the backend's 101: the {@link Tunnel}
 * set up during the handshake. The container makes it (hence public, with a public constructor taking nothing),
 * and the proxy gives it its tunnel before the request ends.
 */
public final class TunnelHandler implements HttpUpgradeHandler {

    private Tunnel tunnel;

    public TunnelHandler() {
        // Made by the container's instance manager.
    }

    void attach(Tunnel attached) {
        this.tunnel = attached;
    }

    @Override
    public void init(WebConnection connection) {
        try {
            tunnel.start(connection);
        } catch (IOException e) {
            tunnel.destroyed();
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void destroy() {
        if (tunnel != null) {
            tunnel.destroyed();
        }
    }
}
