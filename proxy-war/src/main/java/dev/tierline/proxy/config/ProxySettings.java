package dev.tierline.proxy.config;

import dev.tierline.proxy.balance.AdminState;
import dev.tierline.proxy.balance.Affinity;
import dev.tierline.proxy.balance.HashKey;
import dev.tierline.proxy.balance.HealthRules;
import dev.tierline.proxy.balance.Policies;
import dev.tierline.proxy.balance.ProbeRules;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The web tier's settings, read from the application's context parameters and validated as a whole.
 *
 * @param backends the app-tier instances, in configuration order
 * @param route how requests are forwarded: timeouts and forwarding headers
 * @param idleTimeout how long a pooled connection may stay unused: the cluster's without a configuration file,
 *     and over h2c every backend's
 * @param sourceAddress the local address to connect from, so the app tier can tell the web tier apart
 * @param maxConnectionsPerBackend the connection pool's size per backend (HTTP/1.1 only)
 * @param upstreamProtocol how the app tier is spoken to
 * @param policy the name of the load-balancing policy, one of {@link Policies#NAMES}
 * @param configFile the JSON file of routes and clusters ({@link ConfigFile}); when given, it replaces
 *     {@code backends}, {@code route} and {@code policy}
 * @param healthProbePath the path each backend is probed on, with the default interval and thresholds
 */
public record ProxySettings(List<Backend> backends, RouteSettings route, Duration idleTimeout,
        Optional<InetAddress> sourceAddress, int maxConnectionsPerBackend, UpstreamProtocol upstreamProtocol,
        String policy, Optional<Path> configFile, Optional<String> healthProbePath) {

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
    public static final String POLICY = "tierline.loadBalancing";
    public static final String CONFIG = "tierline.config";
    public static final String HEALTH_PROBE_PATH = "tierline.healthProbePath";

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    /** Below Tomcat's keep-alive timeout (its connectionTimeout, 20 s in tomcat-conf), so the proxy closes first. */
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
    /** A ceiling, not a reservation: as many as a default Tomcat connector accepts (maxConnections). */
    static final int DEFAULT_MAX_CONNECTIONS_PER_BACKEND = 8192;

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    public ProxySettings {
        backends = List.copyOf(backends);
    }

    /**
     * Reads and validates the settings. Every problem is reported at once, each prefixed with the name of
     * the parameter (and, for a list, the index) it is about.
     */
    public static ProxySettings parse(Function<String, String> parameters) throws InvalidSettingsException {
        List<String> errors = new ArrayList<>();
        Optional<Path> configFile = Optional.ofNullable(value(parameters, CONFIG)).map(Path::of);
        List<Backend> backends = configFile.isPresent() && value(parameters, BACKENDS) == null
                ? List.of() : backends(value(parameters, BACKENDS), errors);
        Duration connectTimeout = duration(parameters, CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, errors);
        Duration responseTimeout = duration(parameters, RESPONSE_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT, errors);
        Duration idleTimeout = duration(parameters, IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, errors);
        ForwardedMode forwarded = forwardedMode(value(parameters, FORWARDED), errors);
        List<AddressRange> trusted = addressRanges(value(parameters, TRUSTED_PROXIES), errors);
        if (forwarded == ForwardedMode.APPEND && trusted.isEmpty()) {
            errors.add(FORWARDED + ": 'append' needs " + TRUSTED_PROXIES + ", the load balancers to append to");
        }
        boolean preserveHost = bool(parameters, PRESERVE_HOST, errors);
        boolean idempotencyKeyRetries = bool(parameters, IDEMPOTENCY_KEY_RETRIES, errors);
        Optional<InetAddress> sourceAddress = sourceAddress(value(parameters, SOURCE_ADDRESS), errors);
        int maxConnections = positiveInt(parameters, MAX_CONNECTIONS_PER_BACKEND,
                DEFAULT_MAX_CONNECTIONS_PER_BACKEND, errors);
        UpstreamProtocol protocol = upstreamProtocol(value(parameters, UPSTREAM_PROTOCOL), errors);
        Optional<String> probePath = Optional.ofNullable(value(parameters, HEALTH_PROBE_PATH));
        if (probePath.isPresent() && !probePath.get().startsWith("/")) {
            errors.add(HEALTH_PROBE_PATH + ": not a path starting with '/': '" + probePath.get() + "'");
        }
        String policy = Optional.ofNullable(value(parameters, POLICY)).orElse(Policies.DEFAULT);
        if (!Policies.NAMES.contains(policy)) {
            errors.add(POLICY + ": not one of " + String.join(", ", Policies.NAMES) + ": '" + policy + "'");
        }
        if (!errors.isEmpty()) {
            throw new InvalidSettingsException(errors);
        }
        RouteSettings route = new RouteSettings(connectTimeout, responseTimeout, RouteSettings.UNLIMITED, forwarded,
                trusted, preserveHost, idempotencyKeyRetries, RouteSettings.IDEMPOTENT_METHODS);
        return new ProxySettings(backends, route, idleTimeout, sourceAddress, maxConnections, protocol, policy,
                configFile, probePath);
    }

    /**
     * The routes and clusters: from the configuration file when there is one, else the one route these
     * parameters describe, every path to a cluster "app" of the listed backends.
     */
    public ConfigFile.Config config() throws InvalidSettingsException {
        if (configFile.isPresent()) {
            return ConfigFile.read(configFile.get());
        }
        List<ConfigFile.BackendConfig> members = backends.stream()
                .map(backend -> new ConfigFile.BackendConfig(backend, 1, AdminState.ENABLED, backend.id())).toList();
        return new ConfigFile.Config(
                List.of(new ConfigFile.RouteConfig("default", "/", Optional.empty(), "app", route)),
                Map.of("app", new ConfigFile.ClusterConfig("app", members, policy, HashKey.CLIENT_ADDRESS, idleTimeout,
                        Affinity.NONE, HealthRules.DEFAULT, 2, 0.2, healthProbePath.map(ProbeRules::of))));
    }

    /** A parameter's value, or null when it is absent, blank or a placeholder nobody filled in. */
    private static String value(Function<String, String> parameters, String name) {
        String value = parameters.apply(name);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            return null;
        }
        return value.strip();
    }

    private static List<Backend> backends(String value, List<String> errors) {
        if (value == null) {
            errors.add(BACKENDS + ": required, a comma-separated list of http(s) URLs");
            return List.of();
        }
        List<Backend> backends = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String[] urls = value.split(",");
        for (int i = 0; i < urls.length; i++) {
            String where = BACKENDS + "[" + i + "]";
            Optional<Backend> backend = backend(urls[i].strip(), where, errors);
            if (backend.isPresent() && !ids.add(backend.get().id())) {
                errors.add(where + ": " + backend.get().id() + " is listed twice");
            } else {
                backend.ifPresent(backends::add);
            }
        }
        return backends;
    }

    static Optional<Backend> backend(String url, String where, List<String> errors) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            errors.add(where + ": not an absolute http(s) URL: '" + url + "'");
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null || uri.isOpaque()) {
            errors.add(where + ": not an absolute http(s) URL: '" + url + "'");
            return Optional.empty();
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            errors.add(where + ": must not have user info, a query or a fragment: '" + url + "'");
            return Optional.empty();
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String id = host + ":" + port + basePath;
        return Optional.of(new Backend(id, scheme, host, port, basePath));
    }

    /** An ISO-8601 duration ({@code PT2S}) or a whole number of milliseconds. */
    private static Duration duration(Function<String, String> parameters, String name, Duration fallback,
            List<String> errors) {
        String value = value(parameters, name);
        if (value == null) {
            return fallback;
        }
        try {
            Duration duration = value.chars().allMatch(Character::isDigit)
                    ? Duration.ofMillis(Long.parseLong(value))
                    : Duration.parse(value);
            if (!duration.isNegative() && !duration.isZero()) {
                return duration;
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // reported below
        }
        errors.add(name + ": not a positive duration (such as PT2S, or milliseconds): '" + value + "'");
        return fallback;
    }

    private static int positiveInt(Function<String, String> parameters, String name, int fallback,
            List<String> errors) {
        String value = value(parameters, name);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(name + ": not a positive whole number: '" + value + "'");
        return fallback;
    }

    private static ForwardedMode forwardedMode(String value, List<String> errors) {
        if (value == null) {
            return ForwardedMode.SET;
        }
        try {
            return ForwardedMode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(FORWARDED + ": not one of set, append, drop: '" + value + "'");
            return ForwardedMode.SET;
        }
    }

    private static UpstreamProtocol upstreamProtocol(String value, List<String> errors) {
        if (value == null) {
            return UpstreamProtocol.HTTP_1_1;
        }
        Optional<UpstreamProtocol> protocol = UpstreamProtocol.of(value);
        if (protocol.isEmpty()) {
            errors.add(UPSTREAM_PROTOCOL + ": not one of http/1.1, h2c: '" + value + "'");
        }
        return protocol.orElse(UpstreamProtocol.HTTP_1_1);
    }

    private static List<AddressRange> addressRanges(String value, List<String> errors) {
        if (value == null) {
            return List.of();
        }
        List<AddressRange> ranges = new ArrayList<>();
        String[] items = value.split(",");
        for (int i = 0; i < items.length; i++) {
            Optional<AddressRange> range = AddressRange.parse(items[i]);
            if (range.isPresent()) {
                ranges.add(range.get());
            } else {
                errors.add(TRUSTED_PROXIES + "[" + i + "]: not an IP address or CIDR block: '" + items[i].strip() + "'");
            }
        }
        return ranges;
    }

    private static boolean bool(Function<String, String> parameters, String name, List<String> errors) {
        String value = value(parameters, name);
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        errors.add(name + ": not true or false: '" + value + "'");
        return false;
    }

    /** An IP literal this machine can bind to; a host name is refused, so no lookup happens here. */
    private static Optional<InetAddress> sourceAddress(String value, List<String> errors) {
        if (value == null) {
            return Optional.empty();
        }
        if (!IP_LITERAL.matcher(value).matches()) {
            errors.add(SOURCE_ADDRESS + ": not an IP address: '" + value + "'");
            return Optional.empty();
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            errors.add(SOURCE_ADDRESS + ": not an IP address: '" + value + "'");
            return Optional.empty();
        }
        try (Socket probe = new Socket()) {
            probe.bind(new InetSocketAddress(address, 0));
        } catch (IOException e) {
            errors.add(SOURCE_ADDRESS + ": this machine cannot connect from " + value + " (" + e.getMessage() + ")");
            return Optional.empty();
        }
        return Optional.of(address);
    }
}
