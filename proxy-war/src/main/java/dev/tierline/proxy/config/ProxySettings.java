package dev.tierline.proxy.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The web tier's settings, from the application's context parameters: how the app tier is spoken to, and the
 * routes and clusters, from a configuration file ({@code tierline.config}) or else from parameters that are a
 * short way of writing one: a single route {@code /} to a cluster {@code app} of the listed backends.
 *
 * <p>The short form is turned into the file's own document ({@code tierline.connectTimeout} is
 * {@code routes[0].timeouts.connect}, and so on) and read by the same parser, so each rule and each default is
 * written once; errors name the parameter. With a configuration file, the short form is still checked when it
 * lists backends, so a mistyped parameter is never silently ignored, but the file's routes and clusters are
 * the ones used.
 *
 * @param upstream how the app tier is spoken to
 * @param admin where the admin console lives and who may reach it
 * @param configFile the JSON file of routes and clusters ({@link ConfigFile}), reloaded when it changes
 * @param config the routes and clusters: the file's, or the one route the parameters describe
 */
public record ProxySettings(UpstreamSettings upstream, AdminSettings admin, ClientLimits clients,
        HttpsSettings https, Optional<Path> configFile, Config config) {

    public static final String BACKENDS = "tierline.backends";
    public static final String CONNECT_TIMEOUT = "tierline.connectTimeout";
    public static final String RESPONSE_TIMEOUT = "tierline.responseTimeout";
    public static final String IDLE_TIMEOUT = "tierline.idleTimeout";
    public static final String FORWARDED = "tierline.forwarded";
    public static final String TRUSTED_PROXIES = "tierline.trustedProxies";
    public static final String PRESERVE_HOST = "tierline.preserveHost";
    public static final String IDEMPOTENCY_KEY_RETRIES = "tierline.idempotencyKeyRetries";
    public static final String SOURCE_ADDRESS = "tierline.sourceAddress";
    public static final String MAX_CONNECTIONS_PER_BACKEND = "tierline.maxConnectionsPerBackend";
    public static final String UPSTREAM_PROTOCOL = "tierline.upstreamProtocol";
    public static final String UPSTREAM_TRUST_STORE = "tierline.upstreamTrustStore";
    public static final String UPSTREAM_TRUST_STORE_PASSWORD_FILE = "tierline.upstreamTrustStorePasswordFile";
    public static final String POLICY = "tierline.loadBalancing";
    public static final String CONFIG = "tierline.config";
    public static final String HEALTH_PROBE_PATH = "tierline.healthProbePath";
    public static final String ADMIN_PATH = "tierline.adminPath";
    public static final String ADMIN_ALLOW = "tierline.adminAllow";
    public static final String MAX_REQUESTS_PER_CLIENT = "tierline.maxRequestsPerClient";
    public static final String STRICT_TRANSPORT_SECURITY = "tierline.strictTransportSecurity";
    public static final String HTTPS_PORT = "tierline.httpsPort";
    public static final String REDIRECT_TO_HTTPS = "tierline.redirectToHttps";
    public static final String COMPRESSION = "tierline.compression";
    public static final String CLIENT_BODY_TIMEOUT = "tierline.clientBodyTimeout";
    public static final String CLIENT_MIN_BODY_RATE = "tierline.clientMinBodyRate";

    /** The route and cluster the short form describes. */
    public static final String ROUTE_ID = "default";
    public static final String CLUSTER_ID = "app";

    /** How a parameter's text becomes a value in the document. */
    private enum Kind {
        TEXT,
        /** {@code true} or {@code false}, in any case. */
        FLAG,
        /** A whole number. */
        NUMBER,
        /** An ISO-8601 duration, or a whole number of milliseconds. */
        DURATION,
        /** Comma-separated. */
        LIST,
        /** Comma-separated backend URLs. */
        URLS
    }

    /** A parameter and the field of the configuration document it stands for. */
    private record Shorthand(String parameter, String path, Kind kind) {
    }

    private static final List<Shorthand> SHORTHANDS = List.of(
            new Shorthand(BACKENDS, "clusters." + CLUSTER_ID + ".backends", Kind.URLS),
            new Shorthand(POLICY, "clusters." + CLUSTER_ID + ".loadBalancing", Kind.TEXT),
            new Shorthand(IDLE_TIMEOUT, "clusters." + CLUSTER_ID + ".idleTimeout", Kind.DURATION),
            new Shorthand(HEALTH_PROBE_PATH, "clusters." + CLUSTER_ID + ".health.probe.path", Kind.TEXT),
            new Shorthand(CONNECT_TIMEOUT, "routes[0].timeouts.connect", Kind.DURATION),
            new Shorthand(RESPONSE_TIMEOUT, "routes[0].timeouts.response", Kind.DURATION),
            new Shorthand(FORWARDED, "routes[0].headers.forwarded", Kind.TEXT),
            new Shorthand(TRUSTED_PROXIES, "routes[0].headers.trustedProxies", Kind.LIST),
            new Shorthand(PRESERVE_HOST, "routes[0].headers.preserveHost", Kind.FLAG),
            new Shorthand(IDEMPOTENCY_KEY_RETRIES, "routes[0].idempotencyKeyRetries", Kind.FLAG),
            new Shorthand(SOURCE_ADDRESS, "upstream.sourceAddress", Kind.TEXT),
            new Shorthand(MAX_CONNECTIONS_PER_BACKEND, "upstream.maxConnectionsPerBackend", Kind.NUMBER),
            new Shorthand(UPSTREAM_PROTOCOL, "upstream.protocol", Kind.TEXT),
            new Shorthand(UPSTREAM_TRUST_STORE, "upstream.trustStore", Kind.TEXT),
            new Shorthand(UPSTREAM_TRUST_STORE_PASSWORD_FILE, "upstream.trustStorePasswordFile", Kind.TEXT),
            new Shorthand(ADMIN_PATH, "admin.path", Kind.TEXT),
            new Shorthand(ADMIN_ALLOW, "admin.allow", Kind.LIST),
            new Shorthand(MAX_REQUESTS_PER_CLIENT, "clients.maxConcurrentRequests", Kind.NUMBER),
            new Shorthand(CLIENT_BODY_TIMEOUT, "clients.bodyTimeout", Kind.DURATION),
            new Shorthand(STRICT_TRANSPORT_SECURITY, "https.strictTransportSecurity", Kind.TEXT),
            new Shorthand(HTTPS_PORT, "https.port", Kind.NUMBER),
            new Shorthand(REDIRECT_TO_HTTPS, "routes[0].redirectToHttps", Kind.FLAG),
            new Shorthand(COMPRESSION, "routes[0].compression", Kind.FLAG),
            new Shorthand(CLIENT_MIN_BODY_RATE, "clients.minBodyRate", Kind.NUMBER));

    /** Errors name the parameter a field stands for, and the index within a list parameter. */
    private static final Fields.Naming BY_PARAMETER = new Fields.Naming() {
        @Override
        public String where(String path) {
            for (Shorthand shorthand : SHORTHANDS) {
                if (path.equals(shorthand.path())) {
                    return shorthand.parameter();
                }
                if (path.startsWith(shorthand.path() + "[")) {
                    int end = path.indexOf(']', shorthand.path().length());
                    return shorthand.parameter() + path.substring(shorthand.path().length(), end + 1);
                }
            }
            return path;
        }

        @Override
        public String mention(String path) {
            String where = where(path);
            return where.equals(path) ? Fields.Naming.JSON_PATH.mention(path) : where;
        }
    };

    /**
     * Reads and validates the settings, and the configuration file they name. Every problem is reported at
     * once, each prefixed with the name of the parameter (and, for a list, the index) it is about, or with the
     * file and the JSON path.
     */
    public static ProxySettings parse(Function<String, String> parameters) throws InvalidSettingsException {
        Optional<Path> configFile = Optional.ofNullable(value(parameters, CONFIG)).map(Path::of);
        ObjectNode document = document(parameters);
        JsonNode upstreamNode = document.remove("upstream");
        JsonNode adminNode = document.remove("admin");
        JsonNode clientsNode = document.remove("clients");
        JsonNode httpsNode = document.remove("https");
        Fields fields = new Fields(BY_PARAMETER);
        Config config = configFile.isPresent() && value(parameters, BACKENDS) == null
                ? null : new ConfigParser(fields).config(document);
        UpstreamSettings upstream = upstream(fields, upstreamNode);
        AdminSettings admin = admin(fields, adminNode);
        ClientLimits clients = new ClientLimits((int) fields.number(clientsNode, "maxConcurrentRequests", "clients",
                ClientLimits.DEFAULT.maxConcurrentRequests(), 0, Integer.MAX_VALUE),
                fields.durationOrZero(clientsNode, "bodyTimeout", "clients", ClientLimits.DEFAULT.bodyTimeout()),
                fields.number(clientsNode, "minBodyRate", "clients", ClientLimits.DEFAULT.minBodyRate(), 0,
                        Long.MAX_VALUE));
        HttpsSettings https = new HttpsSettings(
                fields.string(httpsNode, "strictTransportSecurity", "https")
                        .or(() -> HttpsSettings.DEFAULT.strictTransportSecurity()).filter(value -> !value.isBlank() && !value.equalsIgnoreCase("none")),
                (int) fields.number(httpsNode, "port", "https", HttpsSettings.DEFAULT_PORT, 1, 65535));
        List<String> errors = new ArrayList<>(fields.errors());
        if (configFile.isPresent()) {
            try {
                config = ConfigFile.read(configFile.get());
            } catch (InvalidSettingsException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidSettingsException(errors);
        }
        return new ProxySettings(upstream, admin, clients, https, configFile, config);
    }

    private static AdminSettings admin(Fields fields, JsonNode node) {
        String path = fields.string(node, "path", "admin").orElse(AdminSettings.DEFAULT_PATH);
        if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
            fields.error("admin.path", "not a path of one or more segments, such as /_admin: '" + path + "'");
        }
        List<AddressRange> allowed = node != null && node.has("allow") ? fields.addressRanges(node, "allow", "admin")
                : AdminSettings.DEFAULT_ALLOWED.stream().map(range -> AddressRange.parse(range).orElseThrow()).toList();
        return new AdminSettings(path, allowed);
    }

    private static UpstreamSettings upstream(Fields fields, JsonNode node) {
        UpstreamSettings defaults = UpstreamSettings.DEFAULT;
        Optional<InetAddress> sourceAddress = fields.localAddress(node, "sourceAddress", "upstream");
        int maxConnections = (int) fields.number(node, "maxConnectionsPerBackend", "upstream",
                defaults.maxConnectionsPerBackend(), 1, Integer.MAX_VALUE);
        UpstreamProtocol protocol = fields.choice(node, "protocol", "upstream", UpstreamProtocol::of,
                defaults.protocol(), UpstreamProtocol.names());
        if (protocol == UpstreamProtocol.H2C && fields.string(node, "trustStore", "upstream").isPresent()) {
            fields.error("upstream.trustStore", "not used with h2c, which is HTTP/2 without TLS; leave it out, or use"
                    + " http/1.1 for https:// backends");
            return new UpstreamSettings(protocol, sourceAddress, maxConnections, Optional.empty());
        }
        return new UpstreamSettings(protocol, sourceAddress, maxConnections, trust(fields, node));
    }

    /** The trust store for https:// backends, checked now: a store that cannot be opened is an error at start. */
    private static Optional<UpstreamTrust> trust(Fields fields, JsonNode node) {
        Optional<String> file = fields.string(node, "trustStore", "upstream");
        Optional<String> passwordFile = fields.string(node, "trustStorePasswordFile", "upstream");
        if (file.isEmpty()) {
            if (passwordFile.isPresent()) {
                fields.error("upstream.trustStorePasswordFile", "given without " + fields.mention("upstream.trustStore"));
            }
            return Optional.empty();
        }
        if (passwordFile.isEmpty()) {
            fields.error("upstream.trustStore", "needs " + fields.mention("upstream.trustStorePasswordFile")
                    + ", the file holding its password");
            return Optional.empty();
        }
        UpstreamTrust trust = new UpstreamTrust(Path.of(file.get()), Path.of(passwordFile.get()));
        try {
            trust.sslContext();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            fields.error("upstream.trustStore", "cannot use " + file.get() + " (password from " + passwordFile.get()
                    + "): " + e.getMessage());
            return Optional.empty();
        }
        return Optional.of(trust);
    }

    /** The configuration document the parameters stand for: the file's shape, the parameters' values. */
    private static ObjectNode document(Function<String, String> parameters) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode document = nodes.objectNode();
        ObjectNode route = document.putArray("routes").addObject();
        route.put("id", ROUTE_ID).put("path", "/").put("cluster", CLUSTER_ID);
        document.putObject("clusters").putObject(CLUSTER_ID);
        for (Shorthand shorthand : SHORTHANDS) {
            String value = value(parameters, shorthand.parameter());
            if (value != null) {
                put(document, shorthand.path(), node(value, shorthand.kind(), nodes));
            }
        }
        return document;
    }

    private static JsonNode node(String value, Kind kind, JsonNodeFactory nodes) {
        switch (kind) {
            case FLAG -> {
                if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                    return nodes.booleanNode(Boolean.parseBoolean(value));
                }
            }
            case NUMBER -> {
                if (value.matches("-?[0-9]{1,18}")) {
                    return nodes.numberNode(Long.parseLong(value));
                }
            }
            case DURATION -> {
                if (value.matches("[0-9]{1,18}")) {
                    return nodes.stringNode(Duration.ofMillis(Long.parseLong(value)).toString());
                }
            }
            case LIST, URLS -> {
                ArrayNode items = nodes.arrayNode();
                for (String item : value.split(",")) {
                    if (kind == Kind.URLS) {
                        items.addObject().put("url", item.strip());
                    } else {
                        items.add(item.strip());
                    }
                }
                return items;
            }
            case TEXT -> {
                // as it is
            }
        }
        return nodes.stringNode(value);
    }

    /** Puts {@code value} at a dotted path such as {@code routes[0].headers.forwarded}, making what is missing. */
    private static void put(ObjectNode document, String path, JsonNode value) {
        String[] segments = path.split("\\.");
        ObjectNode parent = document;
        for (int i = 0; i < segments.length - 1; i++) {
            String segment = segments[i];
            int bracket = segment.indexOf('[');
            if (bracket < 0) {
                parent = parent.has(segment) ? (ObjectNode) parent.get(segment) : parent.putObject(segment);
            } else {
                int index = Integer.parseInt(segment.substring(bracket + 1, segment.length() - 1));
                parent = (ObjectNode) parent.get(segment.substring(0, bracket)).get(index);
            }
        }
        parent.set(segments[segments.length - 1], value);
    }

    /** A parameter's value, or null when it is absent, blank or a placeholder nobody filled in. */
    private static String value(Function<String, String> parameters, String name) {
        String value = parameters.apply(name);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            return null;
        }
        return value.strip();
    }
}
