package dev.tierline.proxy.admin;

import dev.tierline.proxy.balance.BackendState;
import dev.tierline.proxy.balance.Cluster;
import dev.tierline.proxy.config.AdminState;
import dev.tierline.proxy.config.ClusterConfig;
import dev.tierline.proxy.config.ConfigEdits;
import dev.tierline.proxy.config.ConfigReloader;
import dev.tierline.proxy.config.InvalidSettingsException;
import dev.tierline.proxy.health.HealthProber;
import dev.tierline.proxy.health.ProbeTarget;
import dev.tierline.proxy.route.Router;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin API, in JSON under the admin path's {@code /api}: what the routes, clusters and backends are doing,
 * and the operations on them. Every change is audited; a malformed one gets a problem+json 4xx and changes
 * nothing.
 *
 * <pre>
 * GET    /api/status                                  routes, clusters and backends
 * GET    /api/audit                                   the latest changes
 * POST   /api/reload                                  read the configuration file now
 * POST   /api/clusters/{c}/backends/{b}/enable        also disable, drain, probe
 * PUT    /api/clusters/{c}/backends/{b}/weight        {"weight": 3}
 * POST   /api/clusters/{c}/backends                   {"url": "...", "id": "...", "weight": 1}, into the file
 * DELETE /api/clusters/{c}/backends/{b}               out of the file
 * </pre>
 */
final class AdminApi extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MEDIA_TYPE = "application/json";

    private final transient Supplier<Router> router;
    private final transient Optional<ConfigReloader> reloader;
    private final transient HealthProber.Probe probe;
    private final transient AuditLog audit;

    AdminApi(Supplier<Router> router, Optional<ConfigReloader> reloader, HealthProber.Probe probe, AuditLog audit) {
        this.router = router;
        this.reloader = reloader;
        this.probe = probe;
        this.audit = audit;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        String[] segments = path.substring(1).split("/", -1);
        String method = request.getMethod();
        if (path.equals("/status")) {
            if (allowed(request, response, "GET, HEAD")) {
                send(response, 200, StatusView.of(router.get()));
            }
        } else if (path.equals("/audit")) {
            if (allowed(request, response, "GET, HEAD")) {
                send(response, 200, JSON.valueToTree(audit.recent()));
            }
        } else if (path.equals("/reload")) {
            if (allowed(request, response, "POST")) {
                reload(request, response);
            }
        } else if (segments.length == 3 && segments[0].equals("clusters") && segments[2].equals("backends")) {
            if (allowed(request, response, "POST")) {
                addBackend(request, response, segments[1]);
            }
        } else if (segments.length == 4 && segments[0].equals("clusters") && segments[2].equals("backends")) {
            if (allowed(request, response, "DELETE")) {
                removeBackend(request, response, segments[1], segments[3]);
            }
        } else if (segments.length == 5 && segments[0].equals("clusters") && segments[2].equals("backends")) {
            operate(request, response, segments[1], segments[3], segments[4], method);
        } else {
            Problems.send(request, response, 404, "No such admin resource: " + path);
        }
    }

    private void operate(HttpServletRequest request, HttpServletResponse response, String clusterId, String backendId,
            String operation, String method) throws IOException {
        boolean weight = operation.equals("weight");
        if (!weight && !List.of("enable", "disable", "drain", "probe").contains(operation)) {
            Problems.send(request, response, 404, "No operation '" + operation + "'; there are enable, disable, drain,"
                    + " probe and weight");
            return;
        }
        if (!allowed(request, response, weight ? "PUT" : "POST")) {
            return;
        }
        Optional<Cluster> cluster = cluster(clusterId);
        Optional<BackendState> member = cluster.flatMap(found -> found.members().stream()
                .filter(candidate -> candidate.backend().id().equals(backendId)).findFirst());
        if (member.isEmpty()) {
            Problems.send(request, response, 404, cluster.isEmpty() ? "No cluster '" + clusterId + "'"
                    : "No backend '" + backendId + "' in cluster '" + clusterId + "'");
            return;
        }
        String target = clusterId + "/" + backendId;
        BackendState backend = member.get();
        switch (operation) {
            case "weight" -> {
                Optional<JsonNode> body = body(request, response);
                if (body.isEmpty()) {
                    return;
                }
                JsonNode value = body.get().get("weight");
                if (value == null || !value.isIntegralNumber() || value.longValue() < 1 || value.longValue() > 1000) {
                    Problems.send(request, response, 400, "The body must be {\"weight\": N}, N a whole number from 1"
                            + " to 1000");
                    return;
                }
                String before = String.valueOf(backend.configuredWeight());
                backend.setWeight(value.intValue());
                audit.record(request, "weight", target, before, String.valueOf(backend.configuredWeight()));
            }
            case "probe" -> {
                if (!probe(request, response, cluster.get(), backend, target)) {
                    return;
                }
            }
            default -> {
                AdminState state = switch (operation) {
                    case "enable" -> AdminState.ENABLED;
                    case "disable" -> AdminState.DISABLED;
                    default -> AdminState.DRAINING;
                };
                String before = backend.adminState().name().toLowerCase(Locale.ROOT);
                backend.setAdminState(state);
                audit.record(request, operation, target, before, state.name().toLowerCase(Locale.ROOT));
            }
        }
        send(response, 200, StatusView.backend(backend));
    }

    /** Probes the backend now, as its cluster's probe would, and counts the result in its health. */
    private boolean probe(HttpServletRequest request, HttpServletResponse response, Cluster cluster,
            BackendState backend, String target) throws IOException {
        Optional<ProbeTarget> probed = cluster.probeTargets().stream()
                .filter(candidate -> candidate.health() == backend.health()).findFirst();
        if (probed.isEmpty()) {
            Problems.send(request, response, 409, "Cluster '" + cluster.id() + "' has no health probe to run");
            return false;
        }
        String before = StatusView.state(backend);
        CompletableFuture<Integer> status = new CompletableFuture<>();
        HealthProber.probe(probed.get(), probe, status::complete);
        int code;
        try {
            code = status.get(probed.get().rules().timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            code = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = 0;
        }
        audit.record(request, "probe", target, before, StatusView.state(backend) + " (the probe got "
                + (code == 0 ? "no answer" : String.valueOf(code)) + ")");
        return true;
    }

    private void reload(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (reloader.isEmpty()) {
            Problems.send(request, response, 409, "There is no configuration file to reload (tierline.config)");
            return;
        }
        String result = reloader.get().reloadNow();
        audit.record(request, "reload", reloader.get().file().toString(), "", result);
        ObjectNode body = JSON.createObjectNode().put("result", result);
        send(response, result.startsWith("reloaded") ? 200 : 409, body);
    }

    private void addBackend(HttpServletRequest request, HttpServletResponse response, String clusterId)
            throws IOException {
        Optional<ClusterConfig> cluster = fileCluster(request, response, clusterId);
        if (cluster.isEmpty()) {
            return;
        }
        Optional<JsonNode> body = body(request, response);
        if (body.isEmpty()) {
            return;
        }
        if (!body.get().isObject()) {
            Problems.send(request, response, 400, "The body must be a backend as the configuration file writes one,"
                    + " such as {\"url\": \"http://127.0.0.1:5004\"}");
            return;
        }
        rewrite(request, response, "add backend", clusterId + " " + body.get(),
                ConfigEdits.addBackend(clusterId, (ObjectNode) body.get()), 201);
    }

    private void removeBackend(HttpServletRequest request, HttpServletResponse response, String clusterId,
            String backendId) throws IOException {
        Optional<ClusterConfig> cluster = fileCluster(request, response, clusterId);
        if (cluster.isEmpty()) {
            return;
        }
        int index = -1;
        for (int i = 0; i < cluster.get().backends().size(); i++) {
            if (cluster.get().backends().get(i).backend().id().equals(backendId)) {
                index = i;
            }
        }
        if (index < 0) {
            Problems.send(request, response, 404, "No backend '" + backendId + "' in cluster '" + clusterId + "'");
            return;
        }
        rewrite(request, response, "remove backend", clusterId + "/" + backendId,
                ConfigEdits.removeBackend(clusterId, index), 200);
    }

    /** The cluster as the configuration file in force has it; a problem when there is no file or no cluster. */
    private Optional<ClusterConfig> fileCluster(HttpServletRequest request, HttpServletResponse response,
            String clusterId) throws IOException {
        if (reloader.isEmpty()) {
            Problems.send(request, response, 409, "Backends are added and removed in the configuration file, and"
                    + " there is none (tierline.config)");
            return Optional.empty();
        }
        ClusterConfig cluster = reloader.get().running().clusters().get(clusterId);
        if (cluster == null) {
            Problems.send(request, response, 404, "No cluster '" + clusterId + "'");
        }
        return Optional.ofNullable(cluster);
    }

    private void rewrite(HttpServletRequest request, HttpServletResponse response, String action, String target,
            java.util.function.UnaryOperator<ObjectNode> change, int status) throws IOException {
        ConfigReloader file = reloader.orElseThrow();
        String before = file.running().describe();
        try {
            file.rewrite(change);
        } catch (ConfigReloader.ChangedOnDisk e) {
            Problems.send(request, response, 409, e.getMessage());
            return;
        } catch (InvalidSettingsException e) {
            Problems.send(request, response, 400, "The change would make the configuration invalid; nothing was"
                    + " written", e.errors());
            return;
        }
        audit.record(request, action, target, before, file.running().describe());
        send(response, status, StatusView.of(router.get()));
    }

    private Optional<Cluster> cluster(String id) {
        return router.get().clusters().stream().filter(cluster -> cluster.id().equals(id)).findFirst();
    }

    /** The request's JSON body; a problem answered, and empty, when it has none or it is not JSON. */
    private static Optional<JsonNode> body(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(MEDIA_TYPE)) {
            Problems.send(request, response, 415, "The body must be " + MEDIA_TYPE);
            return Optional.empty();
        }
        try {
            JsonNode body = JSON.readTree(request.getInputStream());
            if (body == null || body.isMissingNode()) {
                throw new IllegalArgumentException("empty");
            }
            return Optional.of(body);
        } catch (JacksonException | IllegalArgumentException e) {
            Problems.send(request, response, 400, "The body is not valid JSON");
            return Optional.empty();
        }
    }

    /** True when the request's method is {@code allowed}; otherwise answers 405. */
    private static boolean allowed(HttpServletRequest request, HttpServletResponse response, String allowed)
            throws IOException {
        if (List.of(allowed.split(", ")).contains(request.getMethod())) {
            return true;
        }
        response.setHeader("Allow", allowed);
        Problems.send(request, response, 405, request.getMethod() + " is not allowed here; " + allowed + " is");
        return false;
    }

    private static void send(HttpServletResponse response, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
