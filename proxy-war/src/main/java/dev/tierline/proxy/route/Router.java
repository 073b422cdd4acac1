package dev.tierline.proxy.route;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Picks the route for a request path: the one with the longest matching prefix. */
public final class Router {

    private final List<Route> routes;

    public Router(List<Route> routes) {
        this.routes = routes.stream()
                .sorted(Comparator.comparingInt((Route route) -> route.pathPrefix().length()).reversed())
                .toList();
    }

    /** The route for {@code path} (already decoded and normalised by the container), if any. */
    public Optional<Route> match(String path) {
        for (Route route : routes) {
            if (route.matches(path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }
}
