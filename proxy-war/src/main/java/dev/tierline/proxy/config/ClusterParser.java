package dev.tierline.proxy.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** A cluster of the configuration document: its backends, policy, affinity, health rules and retries. */
final class ClusterParser {

    private static final Set<String> CLUSTER = Set.of("backends", "loadBalancing", "hashKey", "idleTimeout",
            "affinity", "health", "retries");
    private static final Set<String> BACKEND = Set.of("id", "url", "weight", "state", "route");
    private static final Set<String> AFFINITY = Set.of("mode", "cookie", "whenDown");
    private static final Set<String> HEALTH = Set.of("consecutiveFailures", "baseEjection", "maxEjection",
            "slowStart", "panic", "probe", "failureRate", "failureRateWindow", "failureRateMinimum");
    private static final Set<String> PROBE = Set.of("path", "interval", "timeout", "healthyThreshold",
            "unhealthyThreshold");
    private static final Set<String> RETRIES = Set.of("maxAttempts", "budget");

    private final Fields fields;

    ClusterParser(Fields fields) {
        this.fields = fields;
    }

    Optional<ClusterConfig> cluster(String id, JsonNode node, String path) {
        if (!fields.object(node, path)) {
            return Optional.empty();
        }
        fields.unknownFields(node, path, CLUSTER, Map.of());
        List<BackendConfig> backends = new ArrayList<>();
        JsonNode backendNodes = node.get("backends");
        if (backendNodes == null || !backendNodes.isArray() || backendNodes.isEmpty()) {
            fields.error(path + ".backends", "required, a list of at least one backend");
        } else {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < backendNodes.size(); i++) {
                String where = path + ".backends[" + i + "]";
                Optional<BackendConfig> backend = backend(backendNodes.get(i), where);
                if (backend.isPresent() && !ids.add(backend.get().backend().id())) {
                    fields.error(where + ".id", "'" + backend.get().backend().id() + "' is used by another backend");
                }
                backend.ifPresent(backends::add);
            }
        }
        LoadBalancing policy = fields.choice(node, "loadBalancing", path, LoadBalancing::of, LoadBalancing.DEFAULT,
                LoadBalancing.names());
        HashKey hashKey = fields.string(node, "hashKey", path).map(value -> hashKey(value, path + ".hashKey"))
                .orElse(HashKey.CLIENT_ADDRESS);
        Duration idleTimeout = fields.duration(node, "idleTimeout", path, ClusterConfig.DEFAULT_IDLE_TIMEOUT);
        Affinity affinity = affinity(node, path);
        JsonNode health = fields.optionalObject(node, "health", path, HEALTH, Map.of());
        HealthRules rules = healthRules(health, path + ".health");
        Optional<ProbeRules> probe = probe(health, path + ".health");
        JsonNode retries = fields.optionalObject(node, "retries", path, RETRIES, Map.of());
        int maxAttempts = (int) fields.number(retries, "maxAttempts", path + ".retries",
                ClusterConfig.DEFAULT_MAX_ATTEMPTS, 1, 10);
        double budget = fields.fraction(retries, "budget", path + ".retries", ClusterConfig.DEFAULT_RETRY_BUDGET);
        return Optional.of(new ClusterConfig(id, backends, policy, hashKey, idleTimeout, affinity, rules, maxAttempts,
                budget, probe));
    }

    private HealthRules healthRules(JsonNode health, String at) {
        HealthRules defaults = HealthRules.DEFAULT;
        int failures = (int) fields.number(health, "consecutiveFailures", at, defaults.consecutiveFailures(), 1, 1000);
        Duration base = fields.duration(health, "baseEjection", at, defaults.baseEjection());
        Duration max = fields.duration(health, "maxEjection", at, defaults.maxEjection());
        if (max.compareTo(base) < 0) {
            fields.error(at + ".maxEjection", "shorter than " + fields.mention(at + ".baseEjection"));
        }
        Duration slowStart = fields.durationOrZero(health, "slowStart", at, defaults.slowStart());
        boolean panic = fields.bool(health, "panic", at, defaults.panic());
        double failureRate = fields.fraction(health, "failureRate", at, defaults.failureRate());
        Duration window = fields.duration(health, "failureRateWindow", at, defaults.failureRateWindow());
        int minimum = (int) fields.number(health, "failureRateMinimum", at, defaults.failureRateMinimum(), 1, 100_000);
        return new HealthRules(failures, base, max, slowStart, panic, failureRate, window, minimum);
    }

    /** {@code clientAddress}, {@code header:NAME} or {@code cookie:NAME}. */
    private HashKey hashKey(String value, String path) {
        if (value.equals("clientAddress")) {
            return HashKey.CLIENT_ADDRESS;
        }
        int colon = value.indexOf(':');
        String name = colon < 0 ? "" : value.substring(colon + 1).strip();
        if (value.startsWith("header:") && !name.isEmpty()) {
            return new HashKey(HashKey.Source.HEADER, name);
        }
        if (value.startsWith("cookie:") && !name.isEmpty()) {
            return new HashKey(HashKey.Source.COOKIE, name);
        }
        fields.error(path, "not clientAddress, header:NAME or cookie:NAME: '" + value + "'");
        return HashKey.CLIENT_ADDRESS;
    }

    private Affinity affinity(JsonNode cluster, String path) {
        JsonNode node = fields.optionalObject(cluster, "affinity", path, AFFINITY, Map.of());
        if (node == null) {
            return Affinity.NONE;
        }
        String at = path + ".affinity";
        Affinity.Mode mode = fields.choice(node, "mode", at, value -> Optional.ofNullable(switch (value) {
            case "cookie" -> Affinity.Mode.COOKIE;
            case "jvmRoute" -> Affinity.Mode.JVM_ROUTE;
            case "none" -> Affinity.Mode.NONE;
            default -> null;
        }), Affinity.NONE.mode(), "cookie, jvmRoute, none");
        String cookie = fields.string(node, "cookie", at).orElse(Affinity.DEFAULT_COOKIE);
        if (!cookie.matches("[A-Za-z0-9_-]+")) {
            fields.error(at + ".cookie", "not a cookie name of letters, digits, '_' and '-': '" + cookie + "'");
        }
        Affinity.WhenDown whenDown = fields.choice(node, "whenDown", at, Fields.constantOf(Affinity.WhenDown.class),
                Affinity.NONE.whenDown(), "failover, refuse");
        return new Affinity(mode, cookie, whenDown);
    }

    private Optional<ProbeRules> probe(JsonNode health, String path) {
        JsonNode node = fields.optionalObject(health, "probe", path, PROBE, Map.of());
        if (node == null) {
            return Optional.empty();
        }
        String at = path + ".probe";
        Optional<String> probePath = fields.string(node, "path", at);
        if (probePath.isEmpty() || !probePath.get().startsWith("/")) {
            fields.error(at + ".path", "required, the path to GET on each backend, starting with '/'");
        }
        Duration interval = fields.duration(node, "interval", at, ProbeRules.DEFAULT_INTERVAL);
        Duration timeout = fields.duration(node, "timeout", at, ProbeRules.DEFAULT_TIMEOUT);
        int healthy = (int) fields.number(node, "healthyThreshold", at, ProbeRules.DEFAULT_HEALTHY, 1, 100);
        int unhealthy = (int) fields.number(node, "unhealthyThreshold", at, ProbeRules.DEFAULT_UNHEALTHY, 1, 100);
        return probePath.filter(value -> value.startsWith("/"))
                .map(value -> new ProbeRules(value, interval, timeout, healthy, unhealthy));
    }

    private Optional<BackendConfig> backend(JsonNode node, String path) {
        if (!fields.object(node, path)) {
            return Optional.empty();
        }
        fields.unknownFields(node, path, BACKEND, Map.of());
        Optional<String> url = fields.string(node, "url", path);
        if (url.isEmpty()) {
            fields.error(path + ".url", "required, an absolute http(s) URL");
        }
        int weight = (int) fields.number(node, "weight", path, 1, 1, 1000);
        AdminState state = fields.choice(node, "state", path, Fields.constantOf(AdminState.class), AdminState.ENABLED,
                "enabled, draining, disabled");
        Optional<String> id = fields.string(node, "id", path);
        Optional<String> route = fields.string(node, "route", path);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        return fields.backendUrl(url.get(), path + ".url")
                .map(backend -> id.map(name -> new Backend(name, backend.scheme(), backend.host(), backend.port(),
                        backend.basePath())).orElse(backend))
                .map(backend -> new BackendConfig(backend, weight, state, route.orElse(backend.id())));
    }
}
