package dev.tierline.proxy.config;

import java.util.List;

/**
 * Where the web tier's own administration lives, and who may reach it.
 *
 * @param path the reserved path prefix of the admin console, its API and its metrics, never forwarded
 * @param allowed the client addresses the admin paths answer; everyone else gets 403 before any password
 *     is asked for, so that nobody else can lock the admin user out by guessing
 */
public record AdminSettings(String path, List<AddressRange> allowed) {

    public static final String DEFAULT_PATH = "/_admin";
    /** Loopback only, as the Tomcat Manager. */
    public static final List<String> DEFAULT_ALLOWED = List.of("127.0.0.0/8", "::1");

    public AdminSettings {
        allowed = List.copyOf(allowed);
    }

    /** True when a client at {@code address} may reach the admin paths. */
    public boolean allows(String address) {
        return AddressRange.anyContains(allowed, address);
    }
}
