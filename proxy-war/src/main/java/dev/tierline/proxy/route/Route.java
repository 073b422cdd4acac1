package dev.tierline.proxy.route;

import dev.tierline.proxy.balance.Cluster;
import dev.tierline.proxy.config.RouteSettings;
import java.util.Locale;
import java.util.Optional;

/**
 * Requests whose path starts with {@code pathPrefix}, on whole segments, and whose Host is {@code host} when
 * one is given, go to {@code cluster}. The prefix {@code /} matches every path. The settings say how its
 * requests are forwarded.
 */
public record Route(String id, String pathPrefix, Optional<String> host, Cluster cluster, RouteSettings settings) {

    /** A route for every host. */
    public Route(String id, String pathPrefix, Cluster cluster, RouteSettings settings) {
        this(id, pathPrefix, Optional.empty(), cluster, settings);
    }

    public Route {
        if (!pathPrefix.startsWith("/")) {
            throw new IllegalArgumentException("A route's path prefix starts with '/': " + pathPrefix);
        }
        if (pathPrefix.length() > 1 && pathPrefix.endsWith("/")) {
            pathPrefix = pathPrefix.substring(0, pathPrefix.length() - 1);
        }
    }

    /** True when the route names no host, or names this one (compared without case). */
    public boolean servesHost(String requestHost) {
        return host.isEmpty() || (requestHost != null && host.get().equals(requestHost.toLowerCase(Locale.ROOT)));
    }

    /** True when the prefix is the whole path or is followed by '/': /api matches /api/x but not /apix. */
    public boolean matches(String path) {
        if (pathPrefix.equals("/")) {
            return true;
        }
        return path.startsWith(pathPrefix)
                && (path.length() == pathPrefix.length() || path.charAt(pathPrefix.length()) == '/');
    }
}
