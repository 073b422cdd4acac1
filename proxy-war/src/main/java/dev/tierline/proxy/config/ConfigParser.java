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
 * this document, and the context parameters a short form of it ({@link ProxySettings}). Routes are read here,
 * clusters by {@link ClusterParser}.
 */
final class ConfigParser {

    private static final Set<String> TOP = Set.of("routes", "clusters");
    private static final Set<String> ROUTE = Set.of("id", "path", "host", "cluster", "timeouts", "maxBodyBytes",
            "headers", "idempotencyKeyRetries", "retryMethods", "redirectToHttps", "requestHeaders", "responseHeaders",
            "allow", "deny", "compression", "webSocket");
    private static final Set<String> WEB_SOCKET = Set.of("enabled", "origins", "idleTimeout", "maxTunnels");
    private static final Set<String> HEADER_RULES = Set.of("remove", "set", "add");
    private static final Set<String> TIMEOUTS = Set.of("connect", "response");
    private static final Set<String> HEADERS = Set.of("forwarded", "trustedProxies", "preserveHost");
    /** Fields that are elsewhere, by their parent's name and their own: where to put them instead. */
    private static final Map<String, String> MOVED = Map.of("timeouts.idle", "pooled connections belong to"
            + " backends, which routes may share: the idle timeout is the cluster's idleTimeout");

    private final Fields fields;
    private final ClusterParser clusterParser;

    ConfigParser(Fields fields) {
        this.fields = fields;
        this.clusterParser = new ClusterParser(fields);
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
                clusterParser.cluster(entry.getKey(), entry.getValue(), "clusters." + entry.getKey())
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
        boolean redirectToHttps = fields.bool(route, "redirectToHttps", path, defaults.redirectToHttps());
        HeaderRules requestHeaders = headerRules(route, "requestHeaders", path);
        HeaderRules responseHeaders = headerRules(route, "responseHeaders", path);
        List<AddressRange> allow = fields.addressRanges(route, "allow", path);
        List<AddressRange> deny = fields.addressRanges(route, "deny", path);
        return new RouteSettings(connect, response, maxBody, forwarded, trusted, preserveHost, idempotencyKeyRetries,
                retryMethods, redirectToHttps, requestHeaders, responseHeaders, allow, deny,
                fields.bool(route, "compression", path, defaults.compression()), webSocket(route, path));
    }

    /** {@code "webSocket": {"enabled": true, "origins": ["https://app.example.com"], "idleTimeout": "PT60S", "maxTunnels": 100}}. */
    private WebSocketSettings webSocket(JsonNode route, String path) {
        WebSocketSettings defaults = WebSocketSettings.DEFAULT;
        JsonNode node = fields.optionalObject(route, "webSocket", path, WEB_SOCKET, MOVED);
        if (node == null) {
            return defaults;
        }
        String at = path + ".webSocket";
        List<String> origins = fields.list(node, "origins", at, "origins such as https://app.example.com",
                (item, where) -> {
                    String origin = Fields.text(item);
                    if (origin.matches("https?://[^/?#\\s]+/?")) {
                        return Optional.of(origin);
                    }
                    fields.error(where, "not an origin (scheme://host[:port], nothing after): " + item);
                    return Optional.empty();
                });
        return new WebSocketSettings(fields.bool(node, "enabled", at, defaults.enabled()), origins,
                fields.duration(node, "idleTimeout", at, defaults.idleTimeout()),
                (int) fields.number(node, "maxTunnels", at, defaults.maxTunnels(), 0, Integer.MAX_VALUE));
    }

    /** {@code "requestHeaders": {"remove": ["X-A"], "set": {"X-B": "b"}, "add": {"X-C": "c"}}}. */
    private HeaderRules headerRules(JsonNode route, String field, String path) {
        JsonNode node = fields.optionalObject(route, field, path, HEADER_RULES, MOVED);
        if (node == null) {
            return HeaderRules.NONE;
        }
        String at = path + "." + field;
        List<String> remove = fields.list(node, "remove", at, "header names", (item, where) -> {
            String name = Fields.text(item);
            return headerName(name, where) ? Optional.of(name) : Optional.empty();
        });
        return new HeaderRules(remove, headerValues(node, "set", at), headerValues(node, "add", at));
    }

    private Map<String, String> headerValues(JsonNode rules, String field, String at) {
        JsonNode node = rules.get(field);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            fields.error(at + "." + field, "must be an object of header names and values");
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String where = at + "." + field + "." + entry.getKey();
            if (!headerName(entry.getKey(), where)) {
                continue;
            }
            String value = entry.getValue().isString() ? entry.getValue().stringValue() : null;
            if (value == null || !value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7f))) {
                fields.error(where, "must be a header value: text without control characters");
            } else {
                values.put(entry.getKey(), value.strip());
            }
        }
        return values;
    }

    /** A token (RFC 9110 section 5.1), and not a header the proxy keeps consistent itself. */
    private boolean headerName(String name, String where) {
        if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            fields.error(where, "not a header name: '" + name + "'");
            return false;
        }
        if (HeaderRules.isProtected(name)) {
            fields.error(where, name + " is the proxy's to set: it frames the message or routes it");
            return false;
        }
        return true;
    }

    private Set<String> retryMethods(JsonNode route, String path) {
        JsonNode node = route.get("retryMethods");
        if (node == null || node.isNull()) {
            return RouteSettings.IDEMPOTENT_METHODS;
        }
        return new HashSet<>(fields.list(route, "retryMethods", path, "methods", (item, where) -> {
            String method = Fields.text(item);
            if (method.equals("POST") || method.equals("PATCH")) {
                fields.error(where, method + " is never sent twice; a request with an Idempotency-Key is, when"
                        + " idempotencyKeyRetries is true");
            } else if (!method.matches("[A-Z]+")) {
                fields.error(where, "not a method in capitals: " + item);
            } else {
                return Optional.of(method);
            }
            return Optional.empty();
        }));
    }
}
