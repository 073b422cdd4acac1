package dev.tierline.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxySettingsTest {

    private static ProxySettings parse(Map<String, String> parameters) throws InvalidSettingsException {
        return ProxySettings.parse(parameters::get);
    }

    private static List<String> errors(Map<String, String> parameters) {
        return assertThrows(InvalidSettingsException.class, () -> parse(parameters)).errors();
    }

    private static List<Backend> backends(ProxySettings settings) {
        return cluster(settings).backends().stream().map(BackendConfig::backend).toList();
    }

    private static ClusterConfig cluster(ProxySettings settings) {
        return settings.config().clusters().get(ProxySettings.CLUSTER_ID);
    }

    private static RouteSettings route(ProxySettings settings) {
        return settings.config().routes().get(0).settings();
    }

    @Test
    void backends_areParsedInOrder_withDefaultsForTheRest() throws Exception {
        ProxySettings settings = parse(Map.of(ProxySettings.BACKENDS,
                "http://127.0.0.1:5000, https://app.internal/base/, http://[::1]:5002"));

        assertEquals(List.of(
                new Backend("127.0.0.1:5000", "http", "127.0.0.1", 5000, ""),
                new Backend("app.internal:443/base", "https", "app.internal", 443, "/base"),
                new Backend("::1:5002", "http", "::1", 5002, "")), backends(settings));
        assertEquals("http://[::1]:5002", backends(settings).get(2).origin());
        assertEquals(Duration.ofSeconds(2), route(settings).connectTimeout());
        assertEquals(Duration.ofSeconds(30), route(settings).responseTimeout());
        assertEquals(Duration.ofSeconds(10), cluster(settings).idleTimeout());
        assertEquals(RouteSettings.UNLIMITED, route(settings).maxBodyBytes());
        assertEquals(ForwardedMode.SET, route(settings).forwarded());
        assertEquals(false, route(settings).preserveHost());
        assertTrue(settings.upstream().sourceAddress().isEmpty());
        assertEquals(8192, settings.upstream().maxConnectionsPerBackend());
    }

    @Test
    void timeouts_acceptIsoDurationsAndMilliseconds() throws Exception {
        ProxySettings settings = parse(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000",
                ProxySettings.CONNECT_TIMEOUT, "750", ProxySettings.RESPONSE_TIMEOUT, "PT1M"));

        assertEquals(Duration.ofMillis(750), route(settings).connectTimeout());
        assertEquals(Duration.ofMinutes(1), route(settings).responseTimeout());
    }

    @Test
    void sourceAddress_onThisMachine_isAccepted() throws Exception {
        ProxySettings settings = parse(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000",
                ProxySettings.SOURCE_ADDRESS, "127.0.0.1"));

        assertEquals("127.0.0.1", settings.upstream().sourceAddress().orElseThrow().getHostAddress());
    }

    @Test
    void missingBackends_isAnError() {
        assertEquals(List.of("tierline.backends: required, a list of at least one backend"), errors(Map.of()));
    }

    @Test
    void unfilledPlaceholder_countsAsMissing() {
        assertEquals(1, errors(Map.of(ProxySettings.BACKENDS, "${TIERLINE_BACKENDS}")).size());
    }

    @Test
    void backendThatIsNotAnAbsoluteHttpUrl_isAnErrorNamingItsIndex() {
        assertEquals(List.of("tierline.backends[1]: not an absolute http(s) URL: 'ftp://x'"),
                errors(Map.of(ProxySettings.BACKENDS, "http://a:1,ftp://x")));
        assertEquals(List.of("tierline.backends[0]: not an absolute http(s) URL: '127.0.0.1:5000'"),
                errors(Map.of(ProxySettings.BACKENDS, "127.0.0.1:5000")));
    }

    @Test
    void backendWithQueryOrUserInfo_isAnError() {
        assertEquals(List.of("tierline.backends[0]: must not have user info, a query or a fragment: 'http://u:p@a:1'"),
                errors(Map.of(ProxySettings.BACKENDS, "http://u:p@a:1")));
        assertEquals(1, errors(Map.of(ProxySettings.BACKENDS, "http://a:1/?x=1")).size());
    }

    @Test
    void duplicateBackend_isAnError() {
        assertEquals(List.of("tierline.backends[1]: 'a:1' is used by another backend"),
                errors(Map.of(ProxySettings.BACKENDS, "http://a:1,http://a:1/")));
    }

    @Test
    void badDuration_isAnError() {
        assertEquals(List.of("tierline.responseTimeout: not a positive ISO-8601 duration such as PT2S: '-PT1S'"),
                errors(Map.of(ProxySettings.BACKENDS, "http://a:1", ProxySettings.RESPONSE_TIMEOUT, "-PT1S")));
    }

    @Test
    void sourceAddressThatIsAHostName_isAnError() {
        assertEquals(List.of("tierline.sourceAddress: not an IP address: 'localhost'"),
                errors(Map.of(ProxySettings.BACKENDS, "http://a:1", ProxySettings.SOURCE_ADDRESS, "localhost")));
    }

    @Test
    void sourceAddressNotOnThisMachine_isAnError() {
        // 192.0.2.0/24 is reserved for documentation: no machine has it.
        List<String> errors = errors(Map.of(ProxySettings.BACKENDS, "http://a:1",
                ProxySettings.SOURCE_ADDRESS, "192.0.2.1"));
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith("tierline.sourceAddress: this machine cannot connect from 192.0.2.1"),
                errors.get(0));
    }

    @Test
    void forwardedAppend_needsTrustedProxies() {
        assertEquals(List.of("tierline.forwarded: 'append' needs tierline.trustedProxies, the load balancers to append to"),
                errors(Map.of(ProxySettings.BACKENDS, "http://a:1", ProxySettings.FORWARDED, "append")));
    }

    @Test
    void forwardedAppend_trustsOnlyTheListedRanges() throws Exception {
        ProxySettings settings = parse(Map.of(ProxySettings.BACKENDS, "http://a:1", ProxySettings.FORWARDED, "APPEND",
                ProxySettings.TRUSTED_PROXIES, "10.0.0.0/8, 192.168.1.7, ::1"));

        assertEquals(ForwardedMode.APPEND, route(settings).forwarded());
        assertTrue(route(settings).trusts("10.200.3.4"));
        assertTrue(route(settings).trusts("192.168.1.7"));
        assertTrue(route(settings).trusts("0:0:0:0:0:0:0:1"));
        assertEquals(false, route(settings).trusts("192.168.1.8"));
        assertEquals(false, route(settings).trusts("11.0.0.1"));
    }

    @Test
    void badForwardedModeAndTrustedProxy_areErrors() {
        assertEquals(List.of("tierline.forwarded: not one of set, append, drop: 'sometimes'",
                "tierline.trustedProxies[1]: not an IP address or CIDR block: \"lb.example\"",
                "tierline.preserveHost: must be true or false"),
                errors(Map.of(ProxySettings.BACKENDS, "http://a:1", ProxySettings.FORWARDED, "sometimes",
                        ProxySettings.TRUSTED_PROXIES, "10.0.0.1,lb.example", ProxySettings.PRESERVE_HOST, "yes")));
    }

    @Test
    void upstreamProtocol_isHttp11UnlessH2cIsAskedFor() throws Exception {
        assertEquals(UpstreamProtocol.HTTP_1_1, parse(Map.of(ProxySettings.BACKENDS, "http://a:1")).upstream().protocol());
        assertEquals(UpstreamProtocol.H2C, parse(Map.of(ProxySettings.BACKENDS, "http://a:1",
                ProxySettings.UPSTREAM_PROTOCOL, "H2C")).upstream().protocol());
        assertEquals(List.of("tierline.upstreamProtocol: not one of http/1.1, h2c: 'h2'"),
                errors(Map.of(ProxySettings.BACKENDS, "http://a:1", ProxySettings.UPSTREAM_PROTOCOL, "h2")));
    }

    @Test
    void loadBalancing_isPowerOfTwoChoicesUnlessNamed() throws Exception {
        assertEquals(LoadBalancing.POWER_OF_TWO_CHOICES,
                cluster(parse(Map.of(ProxySettings.BACKENDS, "http://a:1"))).loadBalancing());
        assertEquals(LoadBalancing.CONSISTENT_HASH, cluster(parse(Map.of(ProxySettings.BACKENDS, "http://a:1",
                ProxySettings.POLICY, "consistent-hash"))).loadBalancing());
        List<String> errors = errors(Map.of(ProxySettings.BACKENDS, "http://a:1", ProxySettings.POLICY, "fastest"));
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith("tierline.loadBalancing: not one of round-robin, "), errors.get(0));
    }

    @Test
    void everyError_isReportedAtOnce() {
        Map<String, String> parameters = new HashMap<>();
        parameters.put(ProxySettings.BACKENDS, "nope,http://a:1,http://a:1");
        parameters.put(ProxySettings.CONNECT_TIMEOUT, "soon");
        parameters.put(ProxySettings.MAX_CONNECTIONS_PER_BACKEND, "0");

        List<String> errors = errors(parameters);

        assertEquals(4, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("tierline.backends[0]"));
        assertTrue(errors.get(1).startsWith("tierline.backends[2]"));
        assertTrue(errors.get(2).startsWith("tierline.connectTimeout"));
        assertTrue(errors.get(3).startsWith("tierline.maxConnectionsPerBackend"));
    }

    @Test
    void theShortForm_isTheConfigurationFilesDocument() throws Exception {
        Config fromParameters = parse(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000, http://127.0.0.1:5002/",
                ProxySettings.CONNECT_TIMEOUT, "750", ProxySettings.RESPONSE_TIMEOUT, "PT1M",
                ProxySettings.IDLE_TIMEOUT, "PT3S", ProxySettings.FORWARDED, "append",
                ProxySettings.TRUSTED_PROXIES, "10.0.0.0/8", ProxySettings.PRESERVE_HOST, "TRUE",
                ProxySettings.IDEMPOTENCY_KEY_RETRIES, "true", ProxySettings.POLICY, "least-requests",
                ProxySettings.HEALTH_PROBE_PATH, "/api/health")).config();

        Config fromFile = ConfigFile.parse("""
                {"routes": [{"id": "default", "path": "/", "cluster": "app",
                             "timeouts": {"connect": "PT0.75S", "response": "PT1M"},
                             "headers": {"forwarded": "append", "trustedProxies": ["10.0.0.0/8"], "preserveHost": true},
                             "idempotencyKeyRetries": true}],
                 "clusters": {"app": {"backends": [{"url": "http://127.0.0.1:5000"}, {"url": "http://127.0.0.1:5002"}],
                                      "loadBalancing": "least-requests", "idleTimeout": "PT3S",
                                      "health": {"probe": {"path": "/api/health"}}}}}
                """);

        assertEquals(fromFile.clusters(), fromParameters.clusters());
        assertEquals(fromFile.routes().get(0).id(), fromParameters.routes().get(0).id());
        assertEquals(fromFile.routes().get(0).path(), fromParameters.routes().get(0).path());
        RouteSettings expected = fromFile.routes().get(0).settings();
        RouteSettings actual = fromParameters.routes().get(0).settings();
        assertEquals(List.of(expected.connectTimeout(), expected.responseTimeout(), expected.forwarded(),
                expected.preserveHost(), expected.idempotencyKeyRetries(), expected.retryMethods(),
                expected.maxBodyBytes(), expected.trustedProxies().toString()),
                List.of(actual.connectTimeout(), actual.responseTimeout(), actual.forwarded(), actual.preserveHost(),
                        actual.idempotencyKeyRetries(), actual.retryMethods(), actual.maxBodyBytes(),
                        actual.trustedProxies().toString()));
    }

    @Test
    void aConfigurationFile_givesTheRoutes_whileTheParametersSayHowTheAppTierIsSpokenTo(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("tierline.json");
        Files.writeString(file, """
                {"routes": [{"path": "/api", "cluster": "api"}],
                 "clusters": {"api": {"backends": [{"url": "http://127.0.0.1:5000"}]}}}
                """);

        ProxySettings settings = parse(Map.of(ProxySettings.CONFIG, file.toString(),
                ProxySettings.UPSTREAM_PROTOCOL, "h2c", ProxySettings.MAX_CONNECTIONS_PER_BACKEND, "16"));

        assertEquals("/api", settings.config().routes().get(0).path());
        assertEquals(Optional.of(file), settings.configFile());
        assertEquals(UpstreamProtocol.H2C, settings.upstream().protocol());
        assertEquals(16, settings.upstream().maxConnectionsPerBackend());
    }

    @Test
    void withAConfigurationFile_theFilesErrors_andTheParametersAreReportedTogether(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("tierline.json");
        Files.writeString(file, "{\"routes\": [{\"path\": \"x\", \"cluster\": \"app\"}],"
                + " \"clusters\": {\"app\": {\"backends\": [{\"url\": \"http://a:1\"}]}}}");

        assertEquals(List.of("tierline.connectTimeout: not a positive ISO-8601 duration such as PT2S: 'soon'",
                "tierline.upstreamProtocol: not one of http/1.1, h2c: 'h3'",
                file + ": routes[0].path: not a path prefix starting with one '/': 'x'"),
                errors(Map.of(ProxySettings.CONFIG, file.toString(), ProxySettings.BACKENDS, "http://a:1",
                        ProxySettings.CONNECT_TIMEOUT, "soon", ProxySettings.UPSTREAM_PROTOCOL, "h3")));
    }

    @Test
    void theAdminPaths_areLoopbackOnlyUnderSlashAdmin_unlessConfigured() throws Exception {
        ProxySettings defaults = parse(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000"));
        assertEquals("/_admin", defaults.admin().path());
        assertTrue(defaults.admin().allows("127.0.0.1") && defaults.admin().allows("127.8.9.10")
                && defaults.admin().allows("::1"));
        assertTrue(!defaults.admin().allows("10.0.0.1") && !defaults.admin().allows("::2"));

        ProxySettings configured = parse(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000",
                ProxySettings.ADMIN_PATH, "/ops/console", ProxySettings.ADMIN_ALLOW, "10.1.0.0/16, 127.0.0.1"));
        assertEquals("/ops/console", configured.admin().path());
        assertTrue(configured.admin().allows("10.1.200.3") && configured.admin().allows("127.0.0.1"));
        assertTrue(!configured.admin().allows("127.0.0.2") && !configured.admin().allows("::1"));
    }

    @Test
    void aBadAdminPathOrAllowList_isReportedByParameter() {
        assertEquals(List.of("tierline.adminPath: not a path of one or more segments, such as /_admin: '/'",
                "tierline.adminAllow[1]: not an IP address or CIDR block: \"everyone\""),
                errors(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000", ProxySettings.ADMIN_PATH, "/",
                        ProxySettings.ADMIN_ALLOW, "127.0.0.1,everyone")));
    }

    @Test
    void requestsPerClient_areUnlimited_unlessConfigured() throws Exception {
        assertFalse(parse(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000")).clients().limitsConcurrency());

        ClientLimits limits = parse(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000",
                ProxySettings.MAX_REQUESTS_PER_CLIENT, "16")).clients();

        assertEquals(16, limits.maxConcurrentRequests());
        assertTrue(limits.limitsConcurrency());
    }

    @Test
    void aNegativeRequestsPerClient_isReportedByParameter() {
        assertEquals(List.of("tierline.maxRequestsPerClient: must be a whole number from 0 to 2147483647"),
                errors(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000",
                        ProxySettings.MAX_REQUESTS_PER_CLIENT, "-1")));
    }

    @Test
    void aClientsBodyPace_defaultsToTwentySecondsAndFiveHundredBytesASecond_andIsConfigurable() throws Exception {
        ClientLimits defaults = parse(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000")).clients();
        assertEquals(Duration.ofSeconds(20), defaults.bodyTimeout());
        assertEquals(500, defaults.minBodyRate());
        // 20 s, and a second for each 500 bytes received.
        assertEquals(Duration.ofSeconds(22).toNanos(), defaults.bodyWaitAllowedNanos(1000));

        ClientLimits limits = parse(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000",
                ProxySettings.CLIENT_BODY_TIMEOUT, "1500", ProxySettings.CLIENT_MIN_BODY_RATE, "0")).clients();
        assertEquals(Duration.ofMillis(1500), limits.bodyTimeout());
        assertEquals(Duration.ofMillis(1500).toNanos(), limits.bodyWaitAllowedNanos(1_000_000), "a fixed deadline");
        assertTrue(limits.limitsBodyPace());

        ClientLimits none = parse(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000",
                ProxySettings.CLIENT_BODY_TIMEOUT, "PT0S")).clients();
        assertFalse(none.limitsBodyPace());
    }

    @Test
    void aHugeBody_neverOverflowsTheTimeItEarns() {
        ClientLimits limits = new ClientLimits(0, Duration.ofSeconds(20), 1);
        assertTrue(limits.bodyWaitAllowedNanos(Long.MAX_VALUE) > Duration.ofDays(365).toNanos());
        assertTrue(limits.bodyWaitAllowedNanos(Long.MAX_VALUE / 1_000_000_000L - 1) > 0);
    }

    @Test
    void aBadBodyPace_isReportedByParameter() {
        assertEquals(List.of("tierline.clientBodyTimeout: not a ISO-8601 duration such as PT2S: 'soon'",
                "tierline.clientMinBodyRate: must be a whole number from 0 to 9223372036854775807"),
                errors(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000",
                        ProxySettings.CLIENT_BODY_TIMEOUT, "soon", ProxySettings.CLIENT_MIN_BODY_RATE, "-5")));
    }

    @Test
    void anUpstreamTrustStore_needsItsPasswordFile_andMustOpen() {
        assertEquals(List.of("tierline.upstreamTrustStore: needs tierline.upstreamTrustStorePasswordFile, the file"
                + " holding its password"), errors(Map.of(ProxySettings.BACKENDS, "https://127.0.0.1:5001",
                        ProxySettings.UPSTREAM_TRUST_STORE, "/nonexistent/trust.p12")));
        List<String> errors = errors(Map.of(ProxySettings.BACKENDS, "https://127.0.0.1:5001",
                ProxySettings.UPSTREAM_TRUST_STORE, "/nonexistent/trust.p12",
                ProxySettings.UPSTREAM_TRUST_STORE_PASSWORD_FILE, "/nonexistent/trust.password"));
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).startsWith("tierline.upstreamTrustStore: cannot use /nonexistent/trust.p12 (password"
                + " from /nonexistent/trust.password): "), errors.get(0));
    }

    @Test
    void withoutATrustStore_httpsBackendsAreCheckedAgainstTheJdksOwn() throws Exception {
        assertTrue(parse(Map.of(ProxySettings.BACKENDS, "https://127.0.0.1:5001")).upstream().trust().isEmpty());
    }

    @Test
    void anUpstreamTrustStore_withH2c_isAnError_sinceH2cHasNoTls() {
        assertEquals(List.of("tierline.upstreamTrustStore: not used with h2c, which is HTTP/2 without TLS; leave it out,"
                + " or use http/1.1 for https:// backends"), errors(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000",
                        ProxySettings.UPSTREAM_PROTOCOL, "h2c", ProxySettings.UPSTREAM_TRUST_STORE, "/x/trust.p12",
                        ProxySettings.UPSTREAM_TRUST_STORE_PASSWORD_FILE, "/x/trust.password")));
    }
}
