package dev.tierline.proxy.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.proxy.balance.Cluster;
import dev.tierline.proxy.config.ClusterConfig;
import dev.tierline.proxy.config.HealthRules;
import dev.tierline.proxy.config.LoadBalancing;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static final Cluster CLUSTER = Cluster.of(ClusterConfig.of("app", List.of(), LoadBalancing.ROUND_ROBIN, HealthRules.DEFAULT), System::nanoTime);

    private static Route route(String id, String prefix) {
        return new Route(id, prefix, CLUSTER, null);
    }

    @Test
    void prefix_matchesWholeSegmentsOnly() {
        Router router = new Router(List.of(route("api", "/api")));

        assertEquals("api", router.match("/api").orElseThrow().id());
        assertEquals("api", router.match("/api/items").orElseThrow().id());
        assertTrue(router.match("/apix").isEmpty());
        assertTrue(router.match("/").isEmpty());
    }

    @Test
    void longestPrefix_wins_whateverTheOrder() {
        Router router = new Router(List.of(route("root", "/"), route("api", "/api/"), route("items", "/api/items")));

        assertEquals("items", router.match("/api/items/7").orElseThrow().id());
        assertEquals("api", router.match("/api/whoami").orElseThrow().id());
        assertEquals("root", router.match("/index.html").orElseThrow().id());
    }
}
