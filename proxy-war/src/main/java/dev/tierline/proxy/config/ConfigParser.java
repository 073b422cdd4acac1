package dev.tierline.proxy.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The configuration document's structure, its defaults and its rules, written once: the configuration file is
 * this document, and the context parameters a short form of it ({@link ProxySettings}).
 */
final class ConfigParser {

    private static final Set<String> TOP = Set.of("routes", "clusters");
    private static final Set<String> ROUTE = Set.of("id", "path", "host", "cluster", "timeouts", "maxBodyBytes",
            "headers", "idempotencyKeyRetries", "retryMethods");
    private static final Set<String> TIMEOUTS = Set.of("connect", "response");
    private static final Set<String> HEADERS = Set.of("forwarded", "trustedProxies", "preserveHost");
    private static final Set<String> CLUSTER = Set.of("backends", "loadBalancing", "hashKey", "idleTimeout",
            "affinity", "health", "retries");
    private static final Set<String> BACKEND = Set.of("id", "url", "weight", "state", "route");
    private static final Set<String> AFFINITY = Set.of("mode", "cookie", "whenDown");
    private static final Set<String> HEALTH = Set.of("consecutiveFailures", "baseEjection", "maxEjection",
            "slowStart", "panic", "probe", "failureRate", "failureRateWindow", "failureRateMinimum");
    private static final Set<String> PROBE = Set.of("path", "interval", "timeout", "healthyThreshold",
            "unhealthyThreshold");
    private static final Set<String> RETRIES = Set.of("maxAttempts", "budget");
    /** Fields that are elsewhere, by their parent's name and their own: where to put them instead. */
    private static final Map<String, String> MOVED = Map.of("timeouts.idle", "pooled connections belong to"
            + " backends, which routes may share: the idle timeout is the cluster's idleTimeout");

    private final Fields fields;

    ConfigParser(Fields fields) {
        this.fields = fields;
    }

    /** The configuration {@code root} describes; check {@link Fields#errors()} before using it. */
    Config config(JsonNode root) {
        if (root == null || !root.isObject()) {
            fields.error("$", "must be an object with routes and clusters");
            return new Config(List.of(), Map.of());
        }
        fields.unknownFields(root, "", TOP, MOVED);
        Map<String, ClusterConfig> clusters = new LinkedHashMap<>();
        JsonNode clusterNodes = root.get("clusters");
        if (clusterNodes == null || !clusterNodes.isObject() || clusterNodes.isEmpty()) {
            fields.error("clusters", "required, an object of named clusters");
        } else {
            for (Map.Entry<String, JsonNode> entry : clusterNodes.properties()) {
                cluster(entry.getKey(), entry.getValue(), "clusters." + entry.getKey())
                        .ifPresent(cluster -> clusters.put(cluster.id(), cluster));
            }
        }
        List<RouteConfig> routes = new ArrayList<>();
        JsonNode routeNodes = root.get("routes");
        if (routeNodes == null || !routeNodes.isArray() || routeNodes.isEmpty()) {
            fields.error("routes", "required, a list of routes");
        } else {
            Set<String> ids = new HashSet<>();
            Set<String> matches = new HashSet<>();
            for (int i = 0; i < routeNodes.size(); i++) {
                String path = "routes[" + i + "]";
                Optional<RouteConfig> route = route(routeNodes.get(i), path, i, clusterNodes);
                if (route.isEmpty()) {
                    continue;
                }
                if (!ids.add(route.get().id())) {
                    fields.error(path + ".id", "'" + route.get().id() + "' is used by another route");
                }
                if (!matches.add(route.get().host().orElse("*") + " " + route.get().path())) {
                    fields.error(path, "another route has the same host and path");
                }
                routes.add(route.get());
            }
        }
        return new Config(routes, clusters);
    }

    private Optional<RouteConfig> route(JsonNode node, String path, int index, JsonNode clusterNodes) {
        if (!fields.object(node, path)) {
            return Optional.empty();
        }
        fields.unknownFields(node, path, ROUTE, MOVED);
        String id = fields.string(node, "id", path).orElse("route-" + index);
        Optional<String> prefix = fields.string(node, "path", path);
        if (prefix.isEmpty()) {
            fields.error(path + ".path", "required, a path prefix such as /api");
        } else if (!prefix.get().startsWith("/") || prefix.get().contains("//") || prefix.get().contains("?")
                || prefix.get().contains("#")) {
            fields.error(path + ".path", "not a path prefix starting with one '/': '" + prefix.get() + "'");
        }
        Optional<String> host = fields.string(node, "host", path).map(value -> value.toLowerCase(Locale.ROOT));
        Optional<String> cluster = fields.string(node, "cluster", path);
        if (cluster.isEmpty()) {
            fields.error(path + ".cluster", "required, the name of a cluster");
        } else if (clusterNodes == null || !clusterNodes.isObject() || !clusterNodes.has(cluster.get())) {
            fields.error(path + ".cluster", "no cluster named '" + cluster.get() + "'");
        }
        RouteSettings settings = settings(node, path);
        if (prefix.isEmpty() || cluster.isEmpty()) {
            return Optional.empty();
        }
        String normalised = prefix.get().length() > 1 && prefix.get().endsWith("/")
                ? prefix.get().substring(0, prefix.get().length() - 1) : prefix.get();
        return Optional.of(new RouteConfig(id, normalised, host, cluster.get(), settings));
    }

    private RouteSettings settings(JsonNode route, String path) {
        RouteSettings defaults = RouteSettings.DEFAULT;
        JsonNode timeouts = fields.optionalObject(route, "timeouts", path, TIMEOUTS, MOVED);
        Duration connect = fields.duration(timeouts, "connect", path + ".timeouts", defaults.connectTimeout());
        Duration response = fields.duration(timeouts, "response", path + ".timeouts", defaults.responseTimeout());
        long maxBody = fields.number(route, "maxBodyBytes", path, defaults.maxBodyBytes(), 0, Long.MAX_VALUE);
        JsonNode headers = fields.optionalObject(route, "headers", path, HEADERS, MOVED);
        String at = path + ".headers";
        ForwardedMode forwarded = fields.choice(headers, "forwarded", at, Fields.constantOf(ForwardedMode.class),
                defaults.forwarded(), "set, append, drop");
        List<AddressRange> trusted = fields.addressRanges(headers, "trustedProxies", at);
        if (forwarded == ForwardedMode.APPEND && trusted.isEmpty()) {
            fields.error(at + ".forwarded", "'append' needs " + fields.mention(at + ".trustedProxies")
                    + ", the load balancers to append to");
        }
        boolean preserveHost = fields.bool(headers, "preserveHost", at, defaults.preserveHost());
        boolean idempotencyKeyRetries = fields.bool(route, "idempotencyKeyRetries", path,
                defaults.idempotencyKeyRetries());
        Set<String> retryMethods = retryMethods(route, path);
        return new RouteSettings(connect, response, maxBody, forwarded, trusted, preserveHost, idempotencyKeyRetries,
                retryMethods);
    }

    private Set<String> retryMethods(JsonNode route, String path) {
        JsonNode node = route.get("retryMethods");
        if (node == null || node.isNull()) {
            return RouteSettings.IDEMPOTENT_METHODS;
        }
        if (!node.isArray()) {
            fields.error(path + ".retryMethods", "must be a list of methods");
            return RouteSettings.IDEMPOTENT_METHODS;
        }
        Set<String> methods = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String method = item.isString() ? item.stringValue() : "";
            String where = path + ".retryMethods[" + i + "]";
            if (method.equals("POST") || method.equals("PATCH")) {
                fields.error(where, method + " is never sent twice; a request with an Idempotency-Key is, when"
                        + " idempotencyKeyRetries is true");
            } else if (!method.matches("[A-Z]+")) {
                fields.error(where, "not a method in capitals: " + item);
            } else {
                methods.add(method);
            }
        }
        return methods;
    }

    private Optional<ClusterConfig> cluster(String id, JsonNode node, String path) {
        if (!fields.object(node, path)) {
            return Optional.empty();
        }
        fields.unknownFields(node, path, CLUSTER, MOVED);
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
        JsonNode health = fields.optionalObject(node, "health", path, HEALTH, MOVED);
        HealthRules rules = healthRules(health, path + ".health");
        Optional<ProbeRules> probe = probe(health, path + ".health");
        JsonNode retries = fields.optionalObject(node, "retries", path, RETRIES, MOVED);
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
        JsonNode node = fields.optionalObject(cluster, "affinity", path, AFFINITY, MOVED);
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
        JsonNode node = fields.optionalObject(health, "probe", path, PROBE, MOVED);
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
        fields.unknownFields(node, path, BACKEND, MOVED);
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
