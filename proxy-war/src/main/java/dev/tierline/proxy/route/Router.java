package dev.tierline.proxy.route;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Picks the route for a request: among the routes for its host, if any matches, else among those for any
 * host, the one with the longest matching prefix.
 */
public final class Router {

    private final List<Route> routes;

    public Router(List<Route> routes) {
        this.routes = routes.stream()
                .sorted(Comparator.comparing((Route route) -> route.host().isEmpty())
                        .thenComparing(Comparator.comparingInt((Route route) -> route.pathPrefix().length()).reversed()))
                .toList();
    }

    /** The route for {@code path} (already decoded and normalised by the container), if any, for any host. */
    public Optional<Route> match(String path) {
        return match(null, path);
    }

    /** The route for a request to {@code host} (its Host, without port; null when absent) and {@code path}. */
    public Optional<Route> match(String host, String path) {
        for (Route route : routes) {
            if (route.servesHost(host) && route.matches(path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    public List<Route> routes() {
        return routes;
    }
}
