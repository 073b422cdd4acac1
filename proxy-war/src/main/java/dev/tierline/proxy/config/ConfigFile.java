package dev.tierline.proxy.config;

import dev.tierline.proxy.balance.AdminState;
import dev.tierline.proxy.balance.Affinity;
import dev.tierline.proxy.balance.HashKey;
import dev.tierline.proxy.balance.HealthRules;
import dev.tierline.proxy.balance.Policies;
import dev.tierline.proxy.balance.ProbeRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web tier's routes and clusters, read from a JSON file and validated as a whole: every problem is
 * reported at once, each with the JSON path it is about ({@code clusters.app.backends[1].url: ...}).
 *
 * <pre>{@code
 * {
 *   "routes": [
 *     {"id": "api", "path": "/", "host": "example.com", "cluster": "app",
 *      "timeouts": {"connect": "PT2S", "response": "PT30S"},
 *      "maxBodyBytes": 10485760,
 *      "headers": {"forwarded": "set", "trustedProxies": [], "preserveHost": false},
 *      "idempotencyKeyRetries": false, "retryMethods": ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]}
 *   ],
 *   "clusters": {
 *     "app": {
 *       "backends": [{"id": "app-5000", "url": "http://127.0.0.1:5000", "weight": 1, "state": "enabled",
 *                     "route": "app-5000"}],
 *       "loadBalancing": "power-of-two-choices", "hashKey": "clientAddress", "idleTimeout": "PT10S",
 *       "affinity": {"mode": "none", "cookie": "TIERLINE_AFFINITY", "whenDown": "failover"},
 *       "health": {"consecutiveFailures": 3, "baseEjection": "PT5S", "maxEjection": "PT5M",
 *                  "slowStart": "PT30S", "panic": false,
 *                  "failureRate": 0, "failureRateWindow": "PT10S", "failureRateMinimum": 20,
 *                  "probe": {"path": "/health", "interval": "PT1S", "timeout": "PT1S",
 *                            "healthyThreshold": 2, "unhealthyThreshold": 2}},
 *       "retries": {"maxAttempts": 2, "budget": 0.2}
 *     }
 *   }
 * }
 * }</pre>
 *
 * Only {@code routes[].path}, {@code routes[].cluster}, {@code clusters} and each backend's {@code url} are
 * required; everything else has the default shown. Unknown fields are errors, so a misspelt one is not
 * silently ignored.
 */
public final class ConfigFile {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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

    /** A parsed, valid configuration. */
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
                    timeouts.merge(member.backend().origin(), cluster.idleTimeout(),
                            (one, other) -> one.compareTo(other) <= 0 ? one : other);
                }
            }
            return Map.copyOf(timeouts);
        }
    }

    public record RouteConfig(String id, String path, Optional<String> host, String cluster, RouteSettings settings) {
    }

    /**
     * @param idleTimeout how long a pooled connection to one of the backends may stay unused before it is no
     *     longer reused: below the backends' own keep-alive timeout, so the proxy never sends a request down a
     *     connection the backend is closing
     * @param maxAttempts how many backends one request may be tried on, the first included
     * @param retryBudget retries as a share of requests (0.2: at most 20% more load)
     */
    public record ClusterConfig(String id, List<BackendConfig> backends, String loadBalancing, HashKey hashKey,
            Duration idleTimeout, Affinity affinity, HealthRules health, int maxAttempts, double retryBudget,
            Optional<ProbeRules> probe) {
        public ClusterConfig {
            backends = List.copyOf(backends);
        }
    }

    /** @param route the instance's jvmRoute, for session affinity by Tomcat session id */
    public record BackendConfig(Backend backend, int weight, AdminState state, String route) {
    }

    private final List<String> errors = new ArrayList<>();

    private ConfigFile() {
    }

    /** Reads and validates {@code file}; every error names the file. */
    public static Config read(Path file) throws InvalidSettingsException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidSettingsException(List.of(file + ": cannot be read (" + e + ")"));
        }
        try {
            return parse(text);
        } catch (InvalidSettingsException e) {
            throw new InvalidSettingsException(e.errors().stream().map(error -> file + ": " + error).toList());
        }
    }

    /** Parses and validates a configuration. */
    public static Config parse(String json) throws InvalidSettingsException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidSettingsException(List.of("not valid JSON: " + e.getOriginalMessage()
                    + location(e)));
        }
        return new ConfigFile().config(root);
    }

    private static String location(JacksonException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private Config config(JsonNode root) throws InvalidSettingsException {
        if (root == null || !root.isObject()) {
            throw new InvalidSettingsException(List.of("$: must be an object with routes and clusters"));
        }
        unknownFields(root, "", TOP);
        Map<String, ClusterConfig> clusters = new LinkedHashMap<>();
        JsonNode clusterNodes = root.get("clusters");
        if (clusterNodes == null || !clusterNodes.isObject() || clusterNodes.isEmpty()) {
            errors.add("clusters: required, an object of named clusters");
        } else {
            for (Map.Entry<String, JsonNode> entry : clusterNodes.properties()) {
                cluster(entry.getKey(), entry.getValue(), "clusters." + entry.getKey())
                        .ifPresent(cluster -> clusters.put(cluster.id(), cluster));
            }
        }
        List<RouteConfig> routes = new ArrayList<>();
        JsonNode routeNodes = root.get("routes");
        if (routeNodes == null || !routeNodes.isArray() || routeNodes.isEmpty()) {
            errors.add("routes: required, a list of routes");
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
                    errors.add(path + ".id: '" + route.get().id() + "' is used by another route");
                }
                if (!matches.add(route.get().host().orElse("*") + " " + route.get().path())) {
                    errors.add(path + ": another route has the same host and path");
                }
                routes.add(route.get());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidSettingsException(errors);
        }
        return new Config(routes, clusters);
    }

    private Optional<RouteConfig> route(JsonNode node, String path, int index, JsonNode clusterNodes) {
        if (!object(node, path)) {
            return Optional.empty();
        }
        unknownFields(node, path + ".", ROUTE);
        String id = string(node, "id", path).orElse("route-" + index);
        Optional<String> prefix = string(node, "path", path);
        if (prefix.isEmpty()) {
            errors.add(path + ".path: required, a path prefix such as /api");
        } else if (!prefix.get().startsWith("/") || prefix.get().contains("//") || prefix.get().contains("?")
                || prefix.get().contains("#")) {
            errors.add(path + ".path: not a path prefix starting with one '/': '" + prefix.get() + "'");
        }
        Optional<String> host = string(node, "host", path).map(value -> value.toLowerCase(Locale.ROOT));
        Optional<String> cluster = string(node, "cluster", path);
        if (cluster.isEmpty()) {
            errors.add(path + ".cluster: required, the name of a cluster");
        } else if (clusterNodes == null || !clusterNodes.isObject() || !clusterNodes.has(cluster.get())) {
            errors.add(path + ".cluster: no cluster named '" + cluster.get() + "'");
        }
        JsonNode timeouts = optionalObject(node, "timeouts", path, TIMEOUTS);
        Duration connect = duration(timeouts, "connect", path + ".timeouts", ProxySettings.DEFAULT_CONNECT_TIMEOUT);
        Duration response = duration(timeouts, "response", path + ".timeouts", ProxySettings.DEFAULT_RESPONSE_TIMEOUT);
        long maxBody = number(node, "maxBodyBytes", path, RouteSettings.UNLIMITED, 0, Long.MAX_VALUE);
        JsonNode headers = optionalObject(node, "headers", path, HEADERS);
        ForwardedMode forwarded = string(headers, "forwarded", path + ".headers")
                .map(value -> forwardedMode(value, path + ".headers.forwarded")).orElse(ForwardedMode.SET);
        List<AddressRange> trusted = addressRanges(headers, path + ".headers");
        if (forwarded == ForwardedMode.APPEND && trusted.isEmpty()) {
            errors.add(path + ".headers.forwarded: 'append' needs trustedProxies, the load balancers to append to");
        }
        boolean preserveHost = bool(headers, "preserveHost", path + ".headers", false);
        boolean idempotencyKeyRetries = bool(node, "idempotencyKeyRetries", path, false);
        Set<String> retryMethods = retryMethods(node, path);
        if (prefix.isEmpty() || cluster.isEmpty()) {
            return Optional.empty();
        }
        String normalised = prefix.get().length() > 1 && prefix.get().endsWith("/")
                ? prefix.get().substring(0, prefix.get().length() - 1) : prefix.get();
        return Optional.of(new RouteConfig(id, normalised, host, cluster.get(), new RouteSettings(connect, response,
                maxBody, forwarded, trusted, preserveHost, idempotencyKeyRetries, retryMethods)));
    }

    private Set<String> retryMethods(JsonNode route, String path) {
        JsonNode node = route.get("retryMethods");
        if (node == null || node.isNull()) {
            return RouteSettings.IDEMPOTENT_METHODS;
        }
        if (!node.isArray()) {
            errors.add(path + ".retryMethods: must be a list of methods");
            return RouteSettings.IDEMPOTENT_METHODS;
        }
        Set<String> methods = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String method = item.isString() ? item.stringValue() : "";
            if (method.equals("POST") || method.equals("PATCH")) {
                errors.add(path + ".retryMethods[" + i + "]: " + method + " is never sent twice; a request with an"
                        + " Idempotency-Key is, when idempotencyKeyRetries is true");
            } else if (!method.matches("[A-Z]+")) {
                errors.add(path + ".retryMethods[" + i + "]: not a method in capitals: " + item);
            } else {
                methods.add(method);
            }
        }
        return methods;
    }

    private Optional<ClusterConfig> cluster(String id, JsonNode node, String path) {
        if (!object(node, path)) {
            return Optional.empty();
        }
        unknownFields(node, path + ".", CLUSTER);
        List<BackendConfig> backends = new ArrayList<>();
        JsonNode backendNodes = node.get("backends");
        if (backendNodes == null || !backendNodes.isArray() || backendNodes.isEmpty()) {
            errors.add(path + ".backends: required, a list of at least one backend");
        } else {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < backendNodes.size(); i++) {
                String where = path + ".backends[" + i + "]";
                Optional<BackendConfig> backend = backend(backendNodes.get(i), where);
                if (backend.isPresent() && !ids.add(backend.get().backend().id())) {
                    errors.add(where + ".id: '" + backend.get().backend().id() + "' is used by another backend");
                }
                backend.ifPresent(backends::add);
            }
        }
        String policy = string(node, "loadBalancing", path).orElse(Policies.DEFAULT);
        if (!Policies.NAMES.contains(policy)) {
            errors.add(path + ".loadBalancing: not one of " + String.join(", ", Policies.NAMES) + ": '" + policy + "'");
        }
        HashKey hashKey = string(node, "hashKey", path).map(value -> hashKey(value, path + ".hashKey"))
                .orElse(HashKey.CLIENT_ADDRESS);
        Duration idleTimeout = duration(node, "idleTimeout", path, ProxySettings.DEFAULT_IDLE_TIMEOUT);
        Affinity affinity = affinity(node, path);
        JsonNode health = optionalObject(node, "health", path, HEALTH);
        HealthRules defaults = HealthRules.DEFAULT;
        String at = path + ".health";
        int failures = (int) number(health, "consecutiveFailures", at, defaults.consecutiveFailures(), 1, 1000);
        Duration base = duration(health, "baseEjection", at, defaults.baseEjection());
        Duration max = duration(health, "maxEjection", at, defaults.maxEjection());
        if (max.compareTo(base) < 0) {
            errors.add(at + ".maxEjection: shorter than baseEjection");
        }
        Duration slowStart = durationOrZero(health, "slowStart", at, defaults.slowStart());
        boolean panic = bool(health, "panic", at, defaults.panic());
        Optional<ProbeRules> probe = probe(health, at);
        double failureRate = fraction(health, "failureRate", at, defaults.failureRate());
        Duration window = duration(health, "failureRateWindow", at, defaults.failureRateWindow());
        int minimum = (int) number(health, "failureRateMinimum", at, defaults.failureRateMinimum(), 1, 100_000);
        JsonNode retries = optionalObject(node, "retries", path, RETRIES);
        int maxAttempts = (int) number(retries, "maxAttempts", path + ".retries", 2, 1, 10);
        double budget = fraction(retries, "budget", path + ".retries", 0.2);
        return Optional.of(new ClusterConfig(id, backends, policy, hashKey, idleTimeout, affinity,
                new HealthRules(failures, base, max, slowStart, panic, failureRate, window, minimum), maxAttempts, budget,
                probe));
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
        errors.add(path + ": not clientAddress, header:NAME or cookie:NAME: '" + value + "'");
        return HashKey.CLIENT_ADDRESS;
    }

    private Affinity affinity(JsonNode cluster, String path) {
        JsonNode node = optionalObject(cluster, "affinity", path, AFFINITY);
        if (node == null) {
            return Affinity.NONE;
        }
        String at = path + ".affinity";
        Affinity.Mode mode = string(node, "mode", at).map(value -> switch (value) {
            case "cookie" -> Affinity.Mode.COOKIE;
            case "jvmRoute" -> Affinity.Mode.JVM_ROUTE;
            case "none" -> Affinity.Mode.NONE;
            default -> {
                errors.add(at + ".mode: not one of cookie, jvmRoute, none: '" + value + "'");
                yield Affinity.Mode.NONE;
            }
        }).orElse(Affinity.Mode.NONE);
        String cookie = string(node, "cookie", at).orElse(Affinity.DEFAULT_COOKIE);
        if (!cookie.matches("[A-Za-z0-9_-]+")) {
            errors.add(at + ".cookie: not a cookie name of letters, digits, '_' and '-': '" + cookie + "'");
        }
        Affinity.WhenDown whenDown = string(node, "whenDown", at)
                .map(value -> enumValue(value, at + ".whenDown", Affinity.WhenDown::valueOf, Affinity.WhenDown.FAILOVER,
                        "failover, refuse"))
                .orElse(Affinity.WhenDown.FAILOVER);
        return new Affinity(mode, cookie, whenDown);
    }

    private Optional<ProbeRules> probe(JsonNode health, String path) {
        JsonNode node = optionalObject(health, "probe", path, PROBE);
        if (node == null) {
            return Optional.empty();
        }
        String at = path + ".probe";
        Optional<String> probePath = string(node, "path", at);
        if (probePath.isEmpty() || !probePath.get().startsWith("/")) {
            errors.add(at + ".path: required, the path to GET on each backend, starting with '/'");
        }
        Duration interval = duration(node, "interval", at, ProbeRules.DEFAULT_INTERVAL);
        Duration timeout = duration(node, "timeout", at, ProbeRules.DEFAULT_TIMEOUT);
        int healthy = (int) number(node, "healthyThreshold", at, ProbeRules.DEFAULT_HEALTHY, 1, 100);
        int unhealthy = (int) number(node, "unhealthyThreshold", at, ProbeRules.DEFAULT_UNHEALTHY, 1, 100);
        return probePath.map(value -> new ProbeRules(value, interval, timeout, healthy, unhealthy));
    }

    private Optional<BackendConfig> backend(JsonNode node, String path) {
        if (!object(node, path)) {
            return Optional.empty();
        }
        unknownFields(node, path + ".", BACKEND);
        Optional<String> url = string(node, "url", path);
        if (url.isEmpty()) {
            errors.add(path + ".url: required, an absolute http(s) URL");
        }
        int weight = (int) number(node, "weight", path, 1, 1, 1000);
        AdminState state = string(node, "state", path).map(value -> adminState(value, path + ".state"))
                .orElse(AdminState.ENABLED);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        Optional<Backend> parsed = ProxySettings.backend(url.get(), path + ".url", errors);
        Optional<String> id = string(node, "id", path);
        Optional<String> route = string(node, "route", path);
        return parsed.map(backend -> id.map(name -> new Backend(name, backend.scheme(), backend.host(),
                backend.port(), backend.basePath())).orElse(backend))
                .map(backend -> new BackendConfig(backend, weight, state, route.orElse(backend.id())));
    }

    // Field readers: each reports what is wrong with its field and returns a usable value regardless.

    private boolean object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            errors.add(path + ": must be an object");
            return false;
        }
        return true;
    }

    private JsonNode optionalObject(JsonNode parent, String field, String path, Set<String> fields) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(path + "." + field + ": must be an object");
            return null;
        }
        unknownFields(node, path + "." + field + ".", fields);
        return node;
    }

    private void unknownFields(JsonNode node, String prefix, Set<String> known) {
        String parent = prefix.substring(prefix.lastIndexOf('.', prefix.length() - 2) + 1);
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!known.contains(entry.getKey())) {
                String moved = MOVED.get(parent + entry.getKey());
                errors.add(prefix + entry.getKey() + ": " + (moved != null ? moved : "unknown field (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")"));
            }
        }
    }

    private Optional<String> string(JsonNode parent, String field, String path) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isString() || node.stringValue().isBlank()) {
            errors.add(path + "." + field + ": must be a non-empty string");
            return Optional.empty();
        }
        return Optional.of(node.stringValue().strip());
    }

    private long number(JsonNode parent, String field, String path, long fallback, long min, long max) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            errors.add(path + "." + field + ": must be a whole number from " + min + " to " + max);
            return fallback;
        }
        return node.longValue();
    }

    private double fraction(JsonNode parent, String field, String path, double fallback) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber() || node.doubleValue() < 0 || node.doubleValue() > 1) {
            errors.add(path + "." + field + ": must be a number from 0 to 1");
            return fallback;
        }
        return node.doubleValue();
    }

    private boolean bool(JsonNode parent, String field, String path, boolean fallback) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            errors.add(path + "." + field + ": must be true or false");
            return fallback;
        }
        return node.booleanValue();
    }

    private Duration duration(JsonNode parent, String field, String path, Duration fallback) {
        return parseDuration(parent, field, path, fallback, false);
    }

    private Duration durationOrZero(JsonNode parent, String field, String path, Duration fallback) {
        return parseDuration(parent, field, path, fallback, true);
    }

    private Duration parseDuration(JsonNode parent, String field, String path, Duration fallback, boolean zeroAllowed) {
        Optional<String> value = string(parent, field, path);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            Duration duration = Duration.parse(value.get());
            if (!duration.isNegative() && (zeroAllowed || !duration.isZero())) {
                return duration;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.add(path + "." + field + ": not " + (zeroAllowed ? "a" : "a positive") + " ISO-8601 duration such as PT2S: '"
                + value.get() + "'");
        return fallback;
    }

    private ForwardedMode forwardedMode(String value, String path) {
        return enumValue(value, path, ForwardedMode::valueOf, ForwardedMode.SET, "set, append, drop");
    }

    private AdminState adminState(String value, String path) {
        return enumValue(value, path, AdminState::valueOf, AdminState.ENABLED, "enabled, draining, disabled");
    }

    private <E> E enumValue(String value, String path, Function<String, E> valueOf, E fallback, String valid) {
        try {
            return valueOf.apply(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(path + ": not one of " + valid + ": '" + value + "'");
            return fallback;
        }
    }

    private List<AddressRange> addressRanges(JsonNode headers, String path) {
        JsonNode node = headers == null ? null : headers.get("trustedProxies");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            errors.add(path + ".trustedProxies: must be a list of IP addresses or CIDR blocks");
            return List.of();
        }
        List<AddressRange> ranges = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            Optional<AddressRange> range = item.isString() ? AddressRange.parse(item.stringValue()) : Optional.empty();
            if (range.isPresent()) {
                ranges.add(range.get());
            } else {
                errors.add(path + ".trustedProxies[" + i + "]: not an IP address or CIDR block: " + item);
            }
        }
        return ranges;
    }
}
