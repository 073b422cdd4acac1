package dev.tierline.proxy.route;

import dev.tierline.proxy.balance.BackendState;
import dev.tierline.proxy.balance.Cluster;
import dev.tierline.proxy.balance.Policies;
import dev.tierline.proxy.balance.RetryBudget;
import dev.tierline.proxy.config.BackendConfig;
import dev.tierline.proxy.config.ClusterConfig;
import dev.tierline.proxy.config.Config;
import dev.tierline.proxy.config.RouteConfig;
import dev.tierline.proxy.health.BackendHealth;
import dev.tierline.proxy.metrics.BackendStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Builds the runtime routes and clusters of a configuration. Across reloads it keeps each backend's state
 * (requests in flight, health, slow start) for as long as its cluster and id stay the same, so a reload
 * neither forgets an ejection nor starts a healthy backend over.
 */
public final class RouterFactory {

    private final LongSupplier nanoTime;
    private Map<String, BackendState> states = Map.of();

    public RouterFactory(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The router for {@code config}; states of backends it no longer has are dropped. */
    public synchronized Router build(Config config) {
        Map<String, BackendState> kept = new HashMap<>();
        Map<String, Cluster> clusters = new HashMap<>();
        for (ClusterConfig cluster : config.clusters().values()) {
            List<BackendState> members = new ArrayList<>();
            for (BackendConfig backend : cluster.backends()) {
                String key = cluster.id() + "/" + backend.backend().id();
                BackendState state = states.get(key);
                if (state == null || !state.backend().equals(backend.backend())) {
                    state = new BackendState(backend.backend(), backend.weight(),
                            new BackendHealth(backend.backend(), cluster.health(), nanoTime),
                            new BackendStats(System::currentTimeMillis));
                } else {
                    state.setWeight(backend.weight());
                    state.health().reconfigure(cluster.health());
                }
                state.setAdminState(backend.state());
                state.setRoute(backend.route());
                kept.put(key, state);
                members.add(state);
            }
            clusters.put(cluster.id(), new Cluster(cluster, members,
                    Policies.create(cluster.loadBalancing(), Policies.threadSafeRandom()),
                    new RetryBudget(cluster.retryBudget(), ClusterConfig.SAVED_RETRIES), nanoTime));
        }
        List<Route> routes = new ArrayList<>();
        for (RouteConfig route : config.routes()) {
            routes.add(new Route(route.id(), route.path(), route.host(), clusters.get(route.cluster()),
                    route.settings()));
        }
        states = Map.copyOf(kept);
        return new Router(routes);
    }
}
