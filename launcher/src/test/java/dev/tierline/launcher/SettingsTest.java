package dev.tierline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaults_matchTheDocumentedTopology() {
        Settings settings = Settings.fromEnvironment(Map.of());

        assertEquals(8080, settings.httpPort());
        assertEquals(8443, settings.httpsPort());
        assertEquals(List.of(5000, 5002), settings.appPorts());
        assertEquals("127.0.0.1", settings.webAddress());
        assertEquals("127.0.0.2", settings.proxySourceAddress());
        assertFalse(settings.testEndpoints());
        assertEquals("127.0.0.1", settings.reachableWebHost());
    }

    @Test
    void badPort_isReportedNamingTheVariable() {
        LauncherException e = assertThrows(LauncherException.class,
                () -> Settings.fromEnvironment(Map.of("TIERLINE_APP_PORTS", "5000,70000")));
        assertEquals("TIERLINE_APP_PORTS must be a port number from 1 to 65535, not '70000'", e.getMessage());
    }

    @Test
    void samePortTwice_isRefused() {
        LauncherException e = assertThrows(LauncherException.class,
                () -> Settings.fromEnvironment(Map.of("TIERLINE_HTTPS_PORT", "5000")));
        assertEquals("TIERLINE_HTTP_PORT, TIERLINE_HTTPS_PORT, TIERLINE_APP_PORTS and the app instances' Manager"
                + " ports (TIERLINE_APP_PORTS + TIERLINE_APP_MANAGER_OFFSET) must all differ: "
                + "[5000, 5002, 5100, 5102, 8080, 5000]", e.getMessage());
    }

    @Test
    void appManagers_listen100AboveTheirInstances_byDefault() {
        Settings settings = Settings.fromEnvironment(Map.of());

        assertEquals(5100, settings.managerPort(5000));
        assertEquals(5102, settings.managerPort(5002));
    }

    @Test
    void anAppManagerPortOnAnotherInstancesPort_isRefused() {
        LauncherException e = assertThrows(LauncherException.class,
                () -> Settings.fromEnvironment(Map.of("TIERLINE_APP_PORTS", "5000,5100")));
        assertTrue(e.getMessage().endsWith("must all differ: [5000, 5100, 5100, 5200, 8080, 8443]"), e.getMessage());
    }

    @Test
    void anAppManagerPortOnTheWebTiersPort_isRefused() {
        assertThrows(LauncherException.class, () -> Settings.fromEnvironment(Map.of(
                "TIERLINE_APP_PORTS", "5000", "TIERLINE_APP_MANAGER_OFFSET", "3080")));
    }

    @Test
    void anOffsetBeyondTheLastPort_isReportedNamingTheVariable() {
        LauncherException e = assertThrows(LauncherException.class, () -> Settings.fromEnvironment(Map.of(
                "TIERLINE_APP_PORTS", "65500", "TIERLINE_APP_MANAGER_OFFSET", "100")));
        assertEquals("TIERLINE_APP_MANAGER_OFFSET 100 puts the Manager of app-65500 on port 65600, outside 1 to 65535",
                e.getMessage());
    }

    @Test
    void anOffsetThatIsNotANumber_isReportedNamingTheVariable() {
        LauncherException e = assertThrows(LauncherException.class,
                () -> Settings.fromEnvironment(Map.of("TIERLINE_APP_MANAGER_OFFSET", "a hundred")));
        assertEquals("TIERLINE_APP_MANAGER_OFFSET must be a whole number, not 'a hundred'", e.getMessage());
    }

    @Test
    void deployerUserWithoutPassword_isRefused() {
        LauncherException e = assertThrows(LauncherException.class,
                () -> Settings.fromEnvironment(Map.of("TIERLINE_DEPLOYER_USER", "ci")));
        assertEquals("set both TIERLINE_DEPLOYER_USER and TIERLINE_DEPLOYER_PASSWORD, or neither", e.getMessage());
    }

    @Test
    void booleanThatIsNeitherTrueNorFalse_isRefused() {
        assertThrows(LauncherException.class, () -> Settings.fromEnvironment(Map.of("TIERLINE_TEST_ENDPOINTS", "yes")));
    }

    @Test
    void wildcardWebAddress_isReachedThroughLoopback() {
        assertEquals("127.0.0.1", Settings.fromEnvironment(Map.of("TIERLINE_WEB_ADDRESS", "0.0.0.0")).reachableWebHost());
        assertEquals("[::1]", Settings.fromEnvironment(Map.of("TIERLINE_WEB_ADDRESS", "::1")).reachableWebHost());
    }

    @Test
    void withUpstreamTls_anAppPortNextToAnother_isRefused() {
        LauncherException e = assertThrows(LauncherException.class, () -> Settings.fromEnvironment(Map.of(
                "TIERLINE_APP_PORTS", "5000,5001", "TIERLINE_UPSTREAM_TLS", "true")));
        assertTrue(e.getMessage().contains("and HTTPS ports (TIERLINE_APP_PORTS + 1) must all differ"), e.getMessage());
    }
}
