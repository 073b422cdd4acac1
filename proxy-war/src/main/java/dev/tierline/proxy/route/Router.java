package dev.tierline.proxy.route;

import dev.tierline.proxy.balance.Cluster;
import dev.tierline.proxy.health.ProbeTarget;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the route for a request: among the routes for its host, if any matches, else among those for any
 * host, the one with the longest matching prefix.
 */
public final class Router {

    private final List<Route> routes;
    private final Set<Cluster> clusters;

    public Router(List<Route> routes) {
        this.routes = routes.stream()
                .sorted(Comparator.comparing((Route route) -> route.host().isEmpty())
                        .thenComparing(Comparator.comparingInt((Route route) -> route.pathPrefix().length()).reversed()))
                .toList();
        Set<Cluster> distinct = new LinkedHashSet<>();
        for (Route route : this.routes) {
            distinct.add(route.cluster());
        }
        this.clusters = Collections.unmodifiableSet(distinct);
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

    /** The clusters the routes go to, each once. */
    public Set<Cluster> clusters() {
        return clusters;
    }

    /** The backends the clusters probe for their health, each with its cluster's rules. */
    public List<ProbeTarget> probeTargets() {
        List<ProbeTarget> targets = new ArrayList<>();
        for (Cluster cluster : clusters) {
            targets.addAll(cluster.probeTargets());
        }
        return targets;
    }
}
