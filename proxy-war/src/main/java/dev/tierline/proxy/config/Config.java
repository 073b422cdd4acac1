package dev.tierline.proxy.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The web tier's routes and clusters: one immutable, validated snapshot, whichever way it was written (a
 * configuration file, or the context parameters' short form of one). A reload replaces it whole.
 */
public record Config(List<RouteConfig> routes, Map<String, ClusterConfig> clusters) {

    public Config {
        routes = List.copyOf(routes);
        clusters = Map.copyOf(clusters);
    }

    /**
     * How long a pooled connection to each backend, by {@linkplain Backend#origin() origin}, may stay unused:
     * its cluster's idle timeout, or the shortest of them when clusters share the backend, since the
     * backend's own keep-alive is the same whichever cluster sends to it.
     */
    public Map<String, Duration> idleTimeouts() {
        Map<String, Duration> timeouts = new HashMap<>();
        for (ClusterConfig cluster : clusters.values()) {
            for (BackendConfig member : cluster.backends()) {
                timeouts.merge(member.backend().origin(), cluster.idleTimeout(), Config::shorter);
            }
        }
        return Map.copyOf(timeouts);
    }

    /** The shortest idle timeout of any cluster: the one setting of a pool that cannot tell backends apart. */
    public Duration shortestIdleTimeout() {
        return clusters.values().stream().map(ClusterConfig::idleTimeout).reduce(Config::shorter)
                .orElse(ClusterConfig.DEFAULT_IDLE_TIMEOUT);
    }

    /** How many backends the clusters have in all, a backend in two clusters counted twice. */
    public int backendCount() {
        return clusters.values().stream().mapToInt(cluster -> cluster.backends().size()).sum();
    }

    /** One line per route: where it matches and the cluster it goes to, with the cluster's backends. */
    public String describe() {
        return routes.stream().map(route -> {
            ClusterConfig cluster = clusters.get(route.cluster());
            return route.host().orElse("*") + route.path() + " -> " + route.cluster() + " "
                    + cluster.backends().stream().map(backend -> backend.backend().id()).toList()
                    + " by " + cluster.loadBalancing().token();
        }).collect(Collectors.joining("; "));
    }

    private static Duration shorter(Duration one, Duration other) {
        return one.compareTo(other) <= 0 ? one : other;
    }
}
