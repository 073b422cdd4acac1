package dev.tierline.proxy.admin;

import dev.tierline.proxy.balance.BackendState;
import dev.tierline.proxy.balance.Cluster;
import dev.tierline.proxy.config.AdminState;
import dev.tierline.proxy.forward.ForwardOutcome;
import dev.tierline.proxy.metrics.BackendStats;
import dev.tierline.proxy.metrics.Histogram;
import dev.tierline.proxy.route.Route;
import dev.tierline.proxy.route.Router;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The running routes, clusters and backends as the admin API shows them, in JSON. */
final class StatusView {

    /** The history drawn per backend: 60 stretches of 5 s, the last five minutes. */
    static final int HISTORY_POINTS = 60;
    static final int HISTORY_STEP = 5;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StatusView() {
    }

    static ObjectNode of(Router router) {
        ObjectNode root = NODES.objectNode();
        root.put("time", System.currentTimeMillis() / 1000);
        ArrayNode routes = root.putArray("routes");
        for (Route route : router.routes()) {
            ObjectNode node = routes.addObject().put("id", route.id()).put("path", route.pathPrefix())
                    .put("cluster", route.cluster().id());
            route.host().ifPresent(host -> node.put("host", host));
        }
        ArrayNode clusters = root.putArray("clusters");
        for (Cluster cluster : router.clusters()) {
            ObjectNode node = clusters.addObject().put("id", cluster.id()).put("policy", cluster.policy())
                    .put("retries", cluster.retries());
            ArrayNode backends = node.putArray("backends");
            for (BackendState member : cluster.members()) {
                backends.add(backend(member));
            }
        }
        return root;
    }

    /**
     * One backend: its state (healthy, unhealthy from its probes, ejected by passive health, draining or
     * disabled), weights, requests in flight and in all, errors by kind, and its latency over the last minute
     * and in history.
     */
    static ObjectNode backend(BackendState member) {
        ObjectNode node = NODES.objectNode();
        node.put("id", member.backend().id());
        node.put("url", member.backend().origin() + member.backend().basePath());
        node.put("state", state(member));
        node.put("adminState", member.adminState().name().toLowerCase(Locale.ROOT));
        node.put("health", health(member));
        node.put("configuredWeight", member.configuredWeight());
        node.put("effectiveWeight", member.weight());
        node.put("inFlight", member.inFlight());
        BackendStats stats = member.stats();
        node.put("requests", stats.requests());
        node.put("ejections", member.health().ejections());
        ObjectNode errors = node.putObject("errors");
        for (Map.Entry<ForwardOutcome, Long> outcome : stats.outcomes().entrySet()) {
            if (outcome.getKey() != ForwardOutcome.COMPLETED) {
                errors.put(outcome.getKey().name().toLowerCase(Locale.ROOT), outcome.getValue());
            }
        }
        Histogram.Snapshot minute = stats.lastSeconds(60);
        node.putObject("latency").put("count", minute.count()).put("p50", minute.percentile(0.5))
                .put("p95", minute.percentile(0.95)).put("p99", minute.percentile(0.99));
        ArrayNode history = node.putArray("history");
        for (BackendStats.Point point : stats.history(HISTORY_POINTS, HISTORY_STEP)) {
            history.addObject().put("time", point.epochSecond()).put("requestsPerSecond", point.requestsPerSecond())
                    .put("p99", point.p99Seconds());
        }
        return node;
    }

    /** What the operator set when it is not enabled, else its health. */
    static String state(BackendState member) {
        if (member.adminState() != AdminState.ENABLED) {
            return member.adminState().name().toLowerCase(Locale.ROOT);
        }
        return health(member);
    }

    /**
     * Unhealthy by its probes, ejected by passive health, or healthy, whatever the operator set: a drained
     * backend's health still shows, for whoever waits for it to be healthy before enabling it.
     */
    static String health(BackendState member) {
        if (member.health().failsProbes()) {
            return "unhealthy";
        }
        return member.health().isEjected() ? "ejected" : "healthy";
    }
}
