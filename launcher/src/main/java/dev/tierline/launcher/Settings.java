package dev.tierline.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the launcher was asked to run, read from TIERLINE_* environment variables; each has a default,
 * and a bad value is reported naming the variable.
 *
 * @param runDir where credentials, the certificate, the CATALINA_BASEs and their logs live
 * @param webAddress the address the web tier listens on
 * @param httpPort the web tier's HTTP port
 * @param httpsPort the web tier's HTTPS port
 * @param appPorts one app-tier instance per port
 * @param appManagerOffset how far above its port each app instance's Manager listens
 * @param proxySourceAddress the address the web tier connects to the app tier from, the only one the app
 *     tier trusts X-Forwarded-* from
 * @param testEndpoints whether the app tier serves /api/test/*
 * @param credentialsFile a credentials file the user named, which must then exist
 * @param adminUser the admin user given in the environment, if any
 * @param adminPassword the admin password given in the environment, if any
 * @param viewer a user of the admin console who may only look (TIERLINE_VIEWER_USER and
 *     TIERLINE_VIEWER_PASSWORD), if any
 * @param deployer the Manager's deployer user given in the environment (TIERLINE_DEPLOYER_USER and
 *     TIERLINE_DEPLOYER_PASSWORD), if any
 * @param javaOptions JAVA_OPTS for each Tomcat process
 * @param pem the web tier's certificate and key as PEM files (TIERLINE_TLS_CERTIFICATE, TIERLINE_TLS_KEY), if given
 * @param shutdownGrace how long each Tomcat, when stopped, lets its requests in flight finish
 *     (TIERLINE_SHUTDOWN_GRACE, in milliseconds)
 * @param upstreamTls whether the web tier speaks HTTPS to the app tier (TIERLINE_UPSTREAM_TLS), on each
 *     instance's port + 1 with a certificate the launcher makes, checked against a trust store of it alone
 */
public record Settings(Path runDir, String webAddress, int httpPort, int httpsPort, List<Integer> appPorts,
        int appManagerOffset, String proxySourceAddress, boolean testEndpoints, Optional<Path> credentialsFile,
        Optional<String> adminUser, Optional<String> adminPassword, String javaOptions, Optional<Credentials> viewer,
        Optional<Credentials> deployer, Optional<Keystore.Pem> pem, boolean upstreamTls, Duration shutdownGrace) {

    static final String APP_ADDRESS = "127.0.0.1";
    /** What app-war answers once it serves requests, and what the web tier probes by default. */
    static final String APP_HEALTH_PATH = "/api/health";

    public Settings {
        appPorts = List.copyOf(appPorts);
    }

    /** Reads the settings from an environment such as {@link System#getenv()}. */
    public static Settings fromEnvironment(Map<String, String> env) {
        Path runDir = Path.of(env.getOrDefault("TIERLINE_RUN_DIR", "run")).toAbsolutePath().normalize();
        String webAddress = env.getOrDefault("TIERLINE_WEB_ADDRESS", "127.0.0.1");
        int httpPort = port(env, "TIERLINE_HTTP_PORT", "8080");
        int httpsPort = port(env, "TIERLINE_HTTPS_PORT", "8443");
        List<Integer> appPorts = new ArrayList<>();
        for (String value : env.getOrDefault("TIERLINE_APP_PORTS", "5000,5002").split(",")) {
            appPorts.add(port("TIERLINE_APP_PORTS", value.strip()));
        }
        int managerOffset = integer(env, "TIERLINE_APP_MANAGER_OFFSET", "100");
        List<Integer> all = new ArrayList<>(appPorts);
        for (int port : appPorts) {
            int managerPort = port + managerOffset;
            if (managerPort < 1 || managerPort > 65535) {
                throw new LauncherException("TIERLINE_APP_MANAGER_OFFSET " + managerOffset + " puts the Manager of "
                        + instanceName(port) + " on port " + managerPort + ", outside 1 to 65535");
            }
            all.add(managerPort);
        }
        boolean upstreamTls = bool(env, "TIERLINE_UPSTREAM_TLS");
        if (upstreamTls) {
            for (int port : appPorts) {
                if (port + TLS_PORT_OFFSET > 65535) {
                    throw new LauncherException("TIERLINE_UPSTREAM_TLS puts the HTTPS port of " + instanceName(port)
                            + " on port " + (port + TLS_PORT_OFFSET) + ", outside 1 to 65535");
                }
                all.add(port + TLS_PORT_OFFSET);
            }
        }
        all.add(httpPort);
        all.add(httpsPort);
        if (all.stream().distinct().count() != all.size()) {
            throw new LauncherException("TIERLINE_HTTP_PORT, TIERLINE_HTTPS_PORT, TIERLINE_APP_PORTS and the app"
                    + " instances' Manager ports (TIERLINE_APP_PORTS + TIERLINE_APP_MANAGER_OFFSET)"
                    + (upstreamTls ? " and HTTPS ports (TIERLINE_APP_PORTS + 1)" : "") + " must all differ: " + all);
        }
        String source = env.getOrDefault("TIERLINE_PROXY_SOURCE_ADDRESS", "127.0.0.2");
        boolean testEndpoints = bool(env, "TIERLINE_TEST_ENDPOINTS");
        Optional<Path> credentialsFile = Optional.ofNullable(env.get("TIERLINE_CREDENTIALS_FILE"))
                .filter(value -> !value.isBlank()).map(Path::of);
        Optional<String> user = Optional.ofNullable(env.get("TIERLINE_ADMIN_USER")).filter(v -> !v.isBlank());
        Optional<String> password = Optional.ofNullable(env.get("TIERLINE_ADMIN_PASSWORD")).filter(v -> !v.isEmpty());
        String javaOptions = env.getOrDefault("TIERLINE_JAVA_OPTS", "-Xms64m -Xmx512m");
        Optional<Credentials> viewer = user(env, "TIERLINE_VIEWER_USER", "TIERLINE_VIEWER_PASSWORD");
        Optional<Credentials> deployer = user(env, "TIERLINE_DEPLOYER_USER", "TIERLINE_DEPLOYER_PASSWORD");
        Optional<String> certificate = Optional.ofNullable(env.get("TIERLINE_TLS_CERTIFICATE")).filter(v -> !v.isBlank());
        Optional<String> key = Optional.ofNullable(env.get("TIERLINE_TLS_KEY")).filter(v -> !v.isBlank());
        if (certificate.isPresent() != key.isPresent()) {
            throw new LauncherException("TIERLINE_TLS_CERTIFICATE and TIERLINE_TLS_KEY go together: PEM files of the"
                    + " web tier's certificate chain and of its private key; " + (certificate.isPresent()
                    ? "TIERLINE_TLS_KEY" : "TIERLINE_TLS_CERTIFICATE") + " is not set");
        }
        Optional<Keystore.Pem> pem = certificate.map(file -> new Keystore.Pem(Path.of(file).toAbsolutePath(),
                Path.of(key.get()).toAbsolutePath()));
        return new Settings(runDir, webAddress, httpPort, httpsPort, appPorts, managerOffset, source, testEndpoints,
                credentialsFile, user, password, javaOptions, viewer, deployer, pem, upstreamTls,
                Duration.ofMillis(nonNegative(env, "TIERLINE_SHUTDOWN_GRACE", "20000")));
    }

    /** A host name for URLs that reach the web tier from this machine, even when it listens on all addresses. */
    public String reachableWebHost() {
        if (webAddress.equals("0.0.0.0") || webAddress.equals("::")) {
            return "127.0.0.1";
        }
        return webAddress.indexOf(':') >= 0 ? "[" + webAddress + "]" : webAddress;
    }

    /**
     * The app-tier instances as the web tier's backends: {@code http://127.0.0.1:5000,...}, or with
     * TIERLINE_UPSTREAM_TLS their HTTPS ports, {@code https://127.0.0.1:5001,...}.
     */
    public String backendUrls() {
        return appPorts.stream().map(port -> upstreamTls ? "https://" + APP_ADDRESS + ":" + appTlsPort(port)
                : "http://" + APP_ADDRESS + ":" + port).collect(Collectors.joining(","));
    }

    /** Where an app instance takes HTTPS from the web tier, with TIERLINE_UPSTREAM_TLS: the port above its own. */
    public int appTlsPort(int appPort) {
        return appPort + TLS_PORT_OFFSET;
    }

    static final int TLS_PORT_OFFSET = 1;

    /** RemoteIpValve's internalProxies for the app tier: a regular expression matching the web tier's address alone. */
    public String webTierProxiesPattern() {
        return Pattern.quote(proxySourceAddress);
    }

    /** The port of the Manager of the app-tier instance on {@code appPort}, on loopback. */
    public int managerPort(int appPort) {
        return appPort + appManagerOffset;
    }

    /** The app-tier instance's name, also its Tomcat jvmRoute. */
    static String instanceName(int port) {
        return "app-" + port;
    }

    private static int port(Map<String, String> env, String name, String fallback) {
        return port(name, env.getOrDefault(name, fallback).strip());
    }

    private static int port(String name, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LauncherException(name + " must be a port number from 1 to 65535, not '" + value + "'");
    }

    /** A user given in the environment by its name and password, both or neither. */
    private static Optional<Credentials> user(Map<String, String> env, String userVariable, String passwordVariable) {
        Optional<String> name = Optional.ofNullable(env.get(userVariable)).filter(v -> !v.isBlank());
        Optional<String> password = Optional.ofNullable(env.get(passwordVariable)).filter(v -> !v.isEmpty());
        if (name.isPresent() != password.isPresent()) {
            throw new LauncherException("set both " + userVariable + " and " + passwordVariable + ", or neither");
        }
        return name.map(user -> new Credentials(user, password.get(), null, false));
    }

    private static int nonNegative(Map<String, String> env, String name, String fallback) {
        int value = integer(env, name, fallback);
        if (value < 0) {
            throw new LauncherException(name + " must be 0 or more milliseconds, not " + value);
        }
        return value;
    }

    private static int integer(Map<String, String> env, String name, String fallback) {
        String value = env.getOrDefault(name, fallback).strip();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new LauncherException(name + " must be a whole number, not '" + value + "'");
        }
    }

    private static boolean bool(Map<String, String> env, String name) {
        String value = env.getOrDefault(name, "false").strip();
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new LauncherException(name + " must be true or false, not '" + value + "'");
    }
}
