package dev.tierline.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks, before anything starts, that every port the topology needs is free. */
final class Ports {

    private Ports() {
    }

    /**
     * Fails with a one-line message naming the port and the variable that sets it when the port cannot
     * be bound on {@code address}, as Tomcat would bind it (with SO_REUSEADDR).
     */
    static void requireFree(String address, int port, String what, String variable) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        } catch (IOException e) {
            throw new LauncherException("port " + port + " on " + address + " (" + what + ") is already in use"
                    + " or not available: stop what holds it or choose another with " + variable);
        }
    }

    /**
     * @param appManagers whether the app instances have their Managers, on ports of their own (the embedded
     *     topology has none)
     */
    static void requireFree(Settings settings, boolean appManagers) {
        requireFree(settings.webAddress(), settings.httpPort(), "web tier HTTP", "TIERLINE_HTTP_PORT");
        requireFree(settings.webAddress(), settings.httpsPort(), "web tier HTTPS", "TIERLINE_HTTPS_PORT");
        for (int port : settings.appPorts()) {
            requireFree(Settings.APP_ADDRESS, port, "app tier " + Settings.instanceName(port), "TIERLINE_APP_PORTS");
            if (settings.upstreamTls()) {
                requireFree(Settings.APP_ADDRESS, settings.appTlsPort(port),
                        "the HTTPS port of " + Settings.instanceName(port), "TIERLINE_APP_PORTS");
            }
            if (appManagers) {
                requireFree(Settings.APP_ADDRESS, settings.managerPort(port),
                        "the Manager of " + Settings.instanceName(port), "TIERLINE_APP_MANAGER_OFFSET");
            }
        }
    }
}
