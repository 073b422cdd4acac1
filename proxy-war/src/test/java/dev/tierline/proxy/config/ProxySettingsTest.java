package dev.tierline.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {

    private static ProxySettings parse(Map<String, String> parameters) throws InvalidSettingsException {
        return ProxySettings.parse(parameters::get);
    }

    private static List<String> errors(Map<String, String> parameters) {
        return assertThrows(InvalidSettingsException.class, () -> parse(parameters)).errors();
    }

    @Test
    void backends_areParsedInOrder_withDefaultsForTheRest() throws Exception {
        ProxySettings settings = parse(Map.of(ProxySettings.BACKENDS,
                "http://127.0.0.1:5000, https://app.internal/base/, http://[::1]:5002"));

        assertEquals(List.of(
                new Backend("127.0.0.1:5000", "http", "127.0.0.1", 5000, ""),
                new Backend("app.internal:443/base", "https", "app.internal", 443, "/base"),
                new Backend("::1:5002", "http", "::1", 5002, "")), settings.backends());
        assertEquals("http://[::1]:5002", settings.backends().get(2).origin());
        assertEquals(Duration.ofSeconds(2), settings.route().connectTimeout());
        assertEquals(Duration.ofSeconds(30), settings.route().responseTimeout());
        assertEquals(Duration.ofSeconds(10), settings.idleTimeout());
        assertEquals(RouteSettings.UNLIMITED, settings.route().maxBodyBytes());
        assertEquals(ForwardedMode.SET, settings.route().forwarded());
        assertEquals(false, settings.route().preserveHost());
        assertTrue(settings.sourceAddress().isEmpty());
        assertEquals(8192, settings.maxConnectionsPerBackend());
    }

    @Test
    void timeouts_acceptIsoDurationsAndMilliseconds() throws Exception {
        ProxySettings settings = parse(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000",
                ProxySettings.CONNECT_TIMEOUT, "750", ProxySettings.RESPONSE_TIMEOUT, "PT1M"));

        assertEquals(Duration.ofMillis(750), settings.route().connectTimeout());
        assertEquals(Duration.ofMinutes(1), settings.route().responseTimeout());
    }

    @Test
    void sourceAddress_onThisMachine_isAccepted() throws Exception {
        ProxySettings settings = parse(Map.of(ProxySettings.BACKENDS, "http://127.0.0.1:5000",
                ProxySettings.SOURCE_ADDRESS, "127.0.0.1"));

        assertEquals("127.0.0.1", settings.sourceAddress().orElseThrow().getHostAddress());
    }

    @Test
    void missingBackends_isAnError() {
        assertEquals(List.of("tierline.backends: required, a comma-separated list of http(s) URLs"), errors(Map.of()));
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
        assertEquals(List.of("tierline.backends[1]: a:1 is listed twice"),
                errors(Map.of(ProxySettings.BACKENDS, "http://a:1,http://a:1/")));
    }

    @Test
    void badDuration_isAnError() {
        assertEquals(List.of("tierline.responseTimeout: not a positive duration (such as PT2S, or milliseconds): '-PT1S'"),
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

        assertEquals(ForwardedMode.APPEND, settings.route().forwarded());
        assertTrue(settings.route().trusts("10.200.3.4"));
        assertTrue(settings.route().trusts("192.168.1.7"));
        assertTrue(settings.route().trusts("0:0:0:0:0:0:0:1"));
        assertEquals(false, settings.route().trusts("192.168.1.8"));
        assertEquals(false, settings.route().trusts("11.0.0.1"));
    }

    @Test
    void badForwardedModeAndTrustedProxy_areErrors() {
        assertEquals(List.of("tierline.forwarded: not one of set, append, drop: 'sometimes'",
                "tierline.trustedProxies[1]: not an IP address or CIDR block: 'lb.example'",
                "tierline.preserveHost: not true or false: 'yes'"),
                errors(Map.of(ProxySettings.BACKENDS, "http://a:1", ProxySettings.FORWARDED, "sometimes",
                        ProxySettings.TRUSTED_PROXIES, "10.0.0.1,lb.example", ProxySettings.PRESERVE_HOST, "yes")));
    }

    @Test
    void upstreamProtocol_isHttp11UnlessH2cIsAskedFor() throws Exception {
        assertEquals(UpstreamProtocol.HTTP_1_1, parse(Map.of(ProxySettings.BACKENDS, "http://a:1")).upstreamProtocol());
        assertEquals(UpstreamProtocol.H2C, parse(Map.of(ProxySettings.BACKENDS, "http://a:1",
                ProxySettings.UPSTREAM_PROTOCOL, "H2C")).upstreamProtocol());
        assertEquals(List.of("tierline.upstreamProtocol: not one of http/1.1, h2c: 'h2'"),
                errors(Map.of(ProxySettings.BACKENDS, "http://a:1", ProxySettings.UPSTREAM_PROTOCOL, "h2")));
    }

    @Test
    void loadBalancing_isPowerOfTwoChoicesUnlessNamed() throws Exception {
        assertEquals("power-of-two-choices", parse(Map.of(ProxySettings.BACKENDS, "http://a:1")).policy());
        assertEquals("consistent-hash", parse(Map.of(ProxySettings.BACKENDS, "http://a:1",
                ProxySettings.POLICY, "consistent-hash")).policy());
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
}
