package dev.tierline.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    private static final String MINIMAL = """
            {"routes": [{"path": "/", "cluster": "app"}],
             "clusters": {"app": {"backends": [{"url": "http://127.0.0.1:5000"}]}}}
            """;

    /** A valid configuration with {@code route} as its only route and {@code cluster} as cluster "app". */
    private static String with(String route, String cluster) {
        return "{\"routes\": [" + route + "], \"clusters\": {\"app\": " + cluster + "}}";
    }

    private static final String ROUTE = "{\"path\": \"/\", \"cluster\": \"app\"}";
    private static final String CLUSTER = "{\"backends\": [{\"url\": \"http://127.0.0.1:5000\"}]}";

    private static List<String> errors(String json) {
        return assertThrows(InvalidSettingsException.class, () -> ConfigFile.parse(json)).errors();
    }

    @Test
    void aMinimalFile_getsEveryDefault() throws Exception {
        Config config = ConfigFile.parse(MINIMAL);

        RouteConfig route = config.routes().get(0);
        assertEquals("route-0", route.id());
        assertEquals("/", route.path());
        assertEquals(Optional.empty(), route.host());
        assertEquals(Duration.ofSeconds(2), route.settings().connectTimeout());
        assertEquals(Duration.ofSeconds(30), route.settings().responseTimeout());
        assertEquals(ForwardedMode.SET, route.settings().forwarded());
        assertEquals(RouteSettings.UNLIMITED, route.settings().maxBodyBytes());
        ClusterConfig cluster = config.clusters().get("app");
        assertEquals("power-of-two-choices", cluster.loadBalancing().token());
        assertEquals(Duration.ofSeconds(10), cluster.idleTimeout());
        assertEquals(2, cluster.maxAttempts());
        assertEquals("127.0.0.1:5000", cluster.backends().get(0).backend().id());
        assertEquals(1, cluster.backends().get(0).weight());
        assertEquals(AdminState.ENABLED, cluster.backends().get(0).state());
    }

    @Test
    void aFullFile_isReadField_byField() throws Exception {
        Config config = ConfigFile.parse("""
                {"routes": [{"id": "api", "path": "/api/", "host": "Example.COM", "cluster": "app",
                             "timeouts": {"connect": "PT1S", "response": "PT5S"},
                             "maxBodyBytes": 1024,
                             "headers": {"forwarded": "append", "trustedProxies": ["10.0.0.0/8"], "preserveHost": true},
                             "idempotencyKeyRetries": true}],
                 "clusters": {"app": {
                   "backends": [{"id": "one", "url": "http://127.0.0.1:5000/base/", "weight": 3, "state": "draining"},
                                {"id": "two", "url": "https://[::1]:5002"}],
                   "loadBalancing": "consistent-hash", "idleTimeout": "PT3S",
                   "health": {"consecutiveFailures": 5, "baseEjection": "PT1S", "maxEjection": "PT1M",
                              "slowStart": "PT0S", "panic": true},
                   "retries": {"maxAttempts": 3, "budget": 0.5}}}}
                """);

        RouteConfig route = config.routes().get(0);
        assertEquals("api", route.id());
        assertEquals("/api", route.path());
        assertEquals(Optional.of("example.com"), route.host());
        assertEquals(Duration.ofSeconds(1), route.settings().connectTimeout());
        assertEquals(Duration.ofSeconds(5), route.settings().responseTimeout());
        assertEquals(1024, route.settings().maxBodyBytes());
        assertEquals(ForwardedMode.APPEND, route.settings().forwarded());
        assertTrue(route.settings().trusts("10.1.2.3"));
        assertTrue(route.settings().preserveHost());
        assertTrue(route.settings().idempotencyKeyRetries());
        ClusterConfig cluster = config.clusters().get("app");
        assertEquals("one", cluster.backends().get(0).backend().id());
        assertEquals("/base", cluster.backends().get(0).backend().basePath());
        assertEquals(3, cluster.backends().get(0).weight());
        assertEquals(AdminState.DRAINING, cluster.backends().get(0).state());
        assertEquals("https", cluster.backends().get(1).backend().scheme());
        assertEquals("consistent-hash", cluster.loadBalancing().token());
        assertEquals(Duration.ofSeconds(3), cluster.idleTimeout());
        assertEquals(5, cluster.health().consecutiveFailures());
        assertEquals(Duration.ZERO, cluster.health().slowStart());
        assertTrue(cluster.health().panic());
        assertEquals(3, cluster.maxAttempts());
        assertEquals(0.5, cluster.retryBudget());
    }

    @Test
    void notJson_saysWhere() {
        List<String> errors = errors("{\"routes\": [}");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith("not valid JSON: "), errors.get(0));
        assertTrue(errors.get(0).contains("(line 1, column"), errors.get(0));
    }

    @Test
    void notAnObject_atTheTop() {
        assertEquals(List.of("$: must be an object with routes and clusters"), errors("[]"));
    }

    @Test
    void missingRoutesAndClusters_areRequired() {
        assertEquals(List.of("clusters: required, an object of named clusters", "routes: required, a list of routes"),
                errors("{}"));
    }

    @Test
    void unknownFields_areNamedWithTheKnownOnes() {
        assertEquals(List.of("routes[0].pth: unknown field (known: allow, cluster, compression, deny, headers, host, id, idempotencyKeyRetries,"
                + " maxBodyBytes, path, redirectToHttps, requestHeaders, responseHeaders, retryMethods, timeouts, webSocket)", "routes[0].path: required, a path prefix such as /api"),
                errors(with("{\"pth\": \"/\", \"cluster\": \"app\"}", CLUSTER)));
    }

    @Test
    void anIdleTimeout_onARoute_pointsToTheCluster() {
        assertEquals(List.of("routes[0].timeouts.idle: pooled connections belong to backends, which routes may share:"
                + " the idle timeout is the cluster's idleTimeout"),
                errors(with("{\"path\": \"/\", \"cluster\": \"app\", \"timeouts\": {\"idle\": \"PT3S\"}}", CLUSTER)));
    }

    @Test
    void backendsInSeveralClusters_keepTheShortestIdleTimeout() throws Exception {
        Config config = ConfigFile.parse("""
                {"routes": [{"path": "/", "cluster": "a"}, {"path": "/b", "cluster": "b"}],
                 "clusters": {"a": {"backends": [{"id": "shared", "url": "http://127.0.0.1:5000"},
                                                 {"url": "http://127.0.0.1:5002"}], "idleTimeout": "PT20S"},
                              "b": {"backends": [{"id": "other-name", "url": "http://127.0.0.1:5000"}],
                                    "idleTimeout": "PT5S"}}}
                """);

        assertEquals(Map.of("http://127.0.0.1:5000", Duration.ofSeconds(5), "http://127.0.0.1:5002", Duration.ofSeconds(20)),
                config.idleTimeouts());
    }

    @Test
    void aBackendUrl_mustBeAbsoluteHttp() {
        assertEquals(List.of("clusters.app.backends[1].url: not an absolute http(s) URL: 'ftp://x'"),
                errors(with(ROUTE, "{\"backends\": [{\"url\": \"http://a:1\"}, {\"url\": \"ftp://x\"}]}")));
    }

    @Test
    void aRoute_mustNameAClusterThatExists() {
        assertEquals(List.of("routes[0].cluster: no cluster named 'web'"),
                errors(with("{\"path\": \"/\", \"cluster\": \"web\"}", CLUSTER)));
    }

    @Test
    void aPath_mustBeAPrefixFromTheRoot() {
        assertEquals(List.of("routes[0].path: not a path prefix starting with one '/': 'api'"),
                errors(with("{\"path\": \"api\", \"cluster\": \"app\"}", CLUSTER)));
    }

    @Test
    void twoRoutes_cannotMatchTheSameHostAndPath_norShareAnId() {
        assertEquals(List.of("routes[1].id: 'a' is used by another route",
                "routes[1]: another route has the same host and path"),
                errors(with("{\"id\": \"a\", \"path\": \"/x\", \"cluster\": \"app\"},"
                        + "{\"id\": \"a\", \"path\": \"/x/\", \"cluster\": \"app\"}", CLUSTER)));
    }

    @Test
    void twoBackends_cannotShareAnId() {
        assertEquals(List.of("clusters.app.backends[1].id: 'x' is used by another backend"),
                errors(with(ROUTE, "{\"backends\": [{\"id\": \"x\", \"url\": \"http://a:1\"},"
                        + " {\"id\": \"x\", \"url\": \"http://b:1\"}]}")));
    }

    @Test
    void aClusterWithoutBackends_isAnError() {
        assertEquals(List.of("clusters.app.backends: required, a list of at least one backend"),
                errors(with(ROUTE, "{\"backends\": []}")));
    }

    @Test
    void wrongTypes_sayWhatWasExpected() {
        assertEquals(List.of("clusters.app.backends[0].weight: must be a whole number from 1 to 1000",
                "routes[0].maxBodyBytes: must be a whole number from 0 to 9223372036854775807",
                "routes[0].headers.preserveHost: must be true or false",
                "routes[0].idempotencyKeyRetries: must be true or false"),
                errors(with("{\"path\": \"/\", \"cluster\": \"app\", \"maxBodyBytes\": \"1k\","
                        + " \"headers\": {\"preserveHost\": \"yes\"}, \"idempotencyKeyRetries\": 1}",
                        "{\"backends\": [{\"url\": \"http://a:1\", \"weight\": 0}]}")));
    }

    @Test
    void durations_mustBeIso8601AndPositive() {
        assertEquals(List.of("routes[0].timeouts.connect: not a positive ISO-8601 duration such as PT2S: '2s'",
                "routes[0].timeouts.response: not a positive ISO-8601 duration such as PT2S: 'PT0S'"),
                errors(with("{\"path\": \"/\", \"cluster\": \"app\","
                        + " \"timeouts\": {\"connect\": \"2s\", \"response\": \"PT0S\"}}", CLUSTER)));
    }

    @Test
    void namesFromAList_mustBeOneOfIt() {
        List<String> errors = errors(with("{\"path\": \"/\", \"cluster\": \"app\", \"headers\": {\"forwarded\": \"keep\"}}",
                "{\"backends\": [{\"url\": \"http://a:1\", \"state\": \"off\"}], \"loadBalancing\": \"fastest\"}"));
        assertEquals(3, errors.size(), errors.toString());
        assertEquals("clusters.app.backends[0].state: not one of enabled, draining, disabled: 'off'", errors.get(0));
        assertTrue(errors.get(1).startsWith("clusters.app.loadBalancing: not one of round-robin, "), errors.get(1));
        assertEquals("routes[0].headers.forwarded: not one of set, append, drop: 'keep'", errors.get(2));
    }

    @Test
    void append_needsTrustedProxies_thatAreAddresses() {
        assertEquals(List.of("routes[0].headers.trustedProxies[0]: not an IP address or CIDR block: \"lb.example\"",
                "routes[0].headers.forwarded: 'append' needs trustedProxies, the load balancers to append to"),
                errors(with("{\"path\": \"/\", \"cluster\": \"app\","
                        + " \"headers\": {\"forwarded\": \"append\", \"trustedProxies\": [\"lb.example\"]}}", CLUSTER)));
    }

    @Test
    void healthAndRetries_mustBeInRange() {
        assertEquals(List.of("clusters.app.health.maxEjection: shorter than baseEjection",
                "clusters.app.retries.maxAttempts: must be a whole number from 1 to 10",
                "clusters.app.retries.budget: must be a number from 0 to 1"),
                errors(with(ROUTE, "{\"backends\": [{\"url\": \"http://a:1\"}],"
                        + " \"health\": {\"baseEjection\": \"PT1M\", \"maxEjection\": \"PT1S\"},"
                        + " \"retries\": {\"maxAttempts\": 0, \"budget\": 2}}")));
    }

    @Test
    void everyError_isReportedAtOnce_andAFileNamesItself(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tierline.json");
        Files.writeString(file, with("{\"path\": \"x\", \"cluster\": \"nope\"}",
                "{\"backends\": [{\"url\": \"ftp://x\"}]}"));

        List<String> errors = assertThrows(InvalidSettingsException.class, () -> ConfigFile.read(file)).errors();

        assertEquals(List.of(file + ": clusters.app.backends[0].url: not an absolute http(s) URL: 'ftp://x'",
                file + ": routes[0].path: not a path prefix starting with one '/': 'x'",
                file + ": routes[0].cluster: no cluster named 'nope'"), errors);
    }

    @Test
    void aMissingFile_isOneLine(@TempDir Path dir) {
        Path file = dir.resolve("absent.json");
        List<String> errors = assertThrows(InvalidSettingsException.class, () -> ConfigFile.read(file)).errors();
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith(file + ": cannot be read"), errors.get(0));
    }

    @Test
    void aProbe_needsAPath_andTakesDefaults() throws Exception {
        ClusterConfig cluster = ConfigFile.parse(with(ROUTE, "{\"backends\": [{\"url\": \"http://a:1\"}],"
                + " \"health\": {\"probe\": {\"path\": \"/health\", \"unhealthyThreshold\": 3}}}"))
                .clusters().get("app");
        assertEquals("/health", cluster.probe().orElseThrow().path());
        assertEquals(Duration.ofSeconds(1), cluster.probe().orElseThrow().interval());
        assertEquals(2, cluster.probe().orElseThrow().healthyThreshold());
        assertEquals(3, cluster.probe().orElseThrow().unhealthyThreshold());

        assertEquals(List.of("clusters.app.health.probe.path: required, the path to GET on each backend, starting with '/'"),
                errors(with(ROUTE, "{\"backends\": [{\"url\": \"http://a:1\"}],"
                        + " \"health\": {\"probe\": {\"interval\": \"PT1S\"}}}")));
    }

    @Test
    void affinityAndHashKey_areRead_andCheckedAgainstTheirChoices() throws Exception {
        ClusterConfig cluster = ConfigFile.parse(with(ROUTE, "{\"backends\": [{\"url\": \"http://a:1\", \"route\": \"node1\"}],"
                + " \"hashKey\": \"header:X-User\","
                + " \"affinity\": {\"mode\": \"jvmRoute\", \"whenDown\": \"refuse\"}}")).clusters().get("app");
        assertEquals(new HashKey(HashKey.Source.HEADER, "X-User"), cluster.hashKey());
        assertEquals(Affinity.Mode.JVM_ROUTE, cluster.affinity().mode());
        assertEquals(Affinity.WhenDown.REFUSE, cluster.affinity().whenDown());
        assertEquals("node1", cluster.backends().get(0).route());

        assertEquals(List.of("clusters.app.hashKey: not clientAddress, header:NAME or cookie:NAME: 'header:'",
                "clusters.app.affinity.mode: not one of cookie, jvmRoute, none: 'sticky'",
                "clusters.app.affinity.cookie: not a cookie name of letters, digits, '_' and '-': 'a b'",
                "clusters.app.affinity.whenDown: not one of failover, refuse: 'wait'"),
                errors(with(ROUTE, "{\"backends\": [{\"url\": \"http://a:1\"}], \"hashKey\": \"header:\","
                        + " \"affinity\": {\"mode\": \"sticky\", \"cookie\": \"a b\", \"whenDown\": \"wait\"}}")));
    }

    @Test
    void retryMethods_replaceTheIdempotentOnes_butNeverIncludePostOrPatch() throws Exception {
        assertEquals(java.util.Set.of("GET"), ConfigFile.parse(with(
                "{\"path\": \"/\", \"cluster\": \"app\", \"retryMethods\": [\"GET\"]}", CLUSTER))
                .routes().get(0).settings().retryMethods());
        assertEquals(RouteSettings.IDEMPOTENT_METHODS, ConfigFile.parse(MINIMAL).routes().get(0).settings().retryMethods());

        assertEquals(List.of("routes[0].retryMethods[1]: POST is never sent twice; a request with an Idempotency-Key"
                + " is, when idempotencyKeyRetries is true", "routes[0].retryMethods[2]: not a method in capitals: \"get\""),
                errors(with("{\"path\": \"/\", \"cluster\": \"app\", \"retryMethods\": [\"GET\", \"POST\", \"get\"]}",
                        CLUSTER)));
    }

    @Test
    void aRoutesHeaderRulesAndAddressLists_areRead() throws Exception {
        RouteSettings settings = ConfigFile.parse(with("{\"path\": \"/\", \"cluster\": \"app\","
                + " \"requestHeaders\": {\"remove\": [\"Cookie\"], \"set\": {\"X-Env\": \" prod \"}},"
                + " \"responseHeaders\": {\"add\": {\"X-Frame-Options\": \"DENY\"}},"
                + " \"allow\": [\"10.0.0.0/8\"], \"deny\": [\"10.1.2.3\"]}", CLUSTER))
                .routes().get(0).settings();

        assertEquals(List.of("Cookie"), settings.requestHeaders().remove());
        assertEquals(java.util.Map.of("X-Env", "prod"), settings.requestHeaders().set());
        assertEquals(java.util.Map.of("X-Frame-Options", "DENY"), settings.responseHeaders().add());
        assertTrue(settings.admits("10.9.9.9"));
        assertFalse(settings.admits("10.1.2.3"), "denied wins over allowed");
        assertFalse(settings.admits("192.168.0.1"), "not in the allow list");
        assertTrue(RouteSettings.DEFAULT.admits("192.168.0.1"), "no lists: everyone");
    }

    @Test
    void aRoutesWebSocketSettings_areRead_andDefaultToTunnellingForAnyOrigin() throws Exception {
        WebSocketSettings settings = ConfigFile.parse(with("{\"path\": \"/\", \"cluster\": \"app\", \"webSocket\":"
                + " {\"origins\": [\"https://App.Example.com/\"], \"idleTimeout\": \"PT5M\", \"maxTunnels\": 7}}",
                CLUSTER)).routes().get(0).settings().webSocket();

        assertTrue(settings.enabled());
        assertEquals(Duration.ofMinutes(5), settings.idleTimeout());
        assertEquals(7, settings.maxTunnels());
        assertTrue(settings.admitsOrigin("https://app.example.com"), "scheme and host in any case");
        assertFalse(settings.admitsOrigin("https://app.example.com.evil.test"));
        assertFalse(settings.admitsOrigin("http://app.example.com"), "another scheme is another origin");
        assertTrue(settings.admitsOrigin(null), "no Origin: not a browser, nothing to check");
        WebSocketSettings defaults = ConfigFile.parse(MINIMAL).routes().get(0).settings().webSocket();
        assertEquals(WebSocketSettings.DEFAULT, defaults);
        assertTrue(defaults.admitsOrigin("https://anyone.test"));
    }

    @Test
    void wrongWebSocketSettings_sayWhichField() {
        assertEquals(List.of("routes[0].webSocket.origins[0]: not an origin (scheme://host[:port], nothing after):"
                        + " \"https://app.test/path\"",
                "routes[0].webSocket.enabled: must be true or false",
                "routes[0].webSocket.idleTimeout: not a positive ISO-8601 duration such as PT2S: '60'",
                "routes[0].webSocket.maxTunnels: must be a whole number from 0 to 2147483647"),
                errors(with("{\"path\": \"/\", \"cluster\": \"app\", \"webSocket\": {\"origins\":"
                        + " [\"https://app.test/path\"], \"enabled\": \"yes\", \"idleTimeout\": \"60\","
                        + " \"maxTunnels\": -1}}", CLUSTER)));
    }

    @Test
    void headerRules_thatWouldBreakFramingOrInjectHeaders_areRefused() {
        assertEquals(List.of("routes[0].requestHeaders.remove[0]: Host is the proxy's to set: it frames the message"
                        + " or routes it",
                "routes[0].requestHeaders.set.Content-Length: Content-Length is the proxy's to set: it frames the"
                        + " message or routes it",
                "routes[0].responseHeaders.set.Bad Name: not a header name: 'Bad Name'",
                "routes[0].responseHeaders.add.X-A: must be a header value: text without control characters",
                "routes[0].deny[0]: not an IP address or CIDR block: \"nowhere\""),
                errors(with("{\"path\": \"/\", \"cluster\": \"app\","
                        + " \"requestHeaders\": {\"remove\": [\"Host\"], \"set\": {\"Content-Length\": \"0\"}},"
                        + " \"responseHeaders\": {\"add\": {\"X-A\": \"a\\r\\nSet-Cookie: x=1\"},"
                        + " \"set\": {\"Bad Name\": \"v\"}}, \"deny\": [\"nowhere\"]}", CLUSTER)));
    }
}
