package dev.tierline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.launcher.AdminApiClient.Backend;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminApiClientTest {

    private static final String STATUS = """
            {"time": 1, "routes": [{"id": "all", "path": "/", "cluster": "app"}],
             "clusters": [
               {"id": "app", "policy": "round-robin", "retries": true, "backends": [
                 {"id": "app-5000", "url": "http://127.0.0.1:5000", "state": "draining", "adminState": "draining",
                  "health": "healthy", "configuredWeight": 1, "effectiveWeight": 1.0, "inFlight": 3, "errors": {}},
                 {"id": "app-5002", "url": "http://127.0.0.1:5002", "state": "healthy", "adminState": "enabled",
                  "health": "healthy", "configuredWeight": 1, "effectiveWeight": 1.0, "inFlight": 0, "errors": {}}]},
               {"id": "api", "backends": [
                 {"id": "a", "url": "http://127.0.0.1:5000/api", "state": "unhealthy", "adminState": "enabled",
                  "health": "unhealthy", "inFlight": 0}]}]}
            """;

    @Test
    void status_listsEveryBackendOfEveryCluster() {
        assertEquals(List.of(
                new Backend("app", "app-5000", "http://127.0.0.1:5000", "draining", "draining", "healthy", 3),
                new Backend("app", "app-5002", "http://127.0.0.1:5002", "healthy", "enabled", "healthy", 0),
                new Backend("api", "a", "http://127.0.0.1:5000/api", "unhealthy", "enabled", "unhealthy", 0)),
                AdminApiClient.parseStatus(STATUS));
    }

    @Test
    void statusWithoutClusters_hasNoBackends() {
        assertEquals(List.of(), AdminApiClient.parseStatus("{\"routes\": [], \"clusters\": []}"));
    }

    @Test
    void anOperationsAnswer_isTheBackendInItsCluster() {
        assertEquals(new Backend("app", "app-5000", "http://127.0.0.1:5000", "healthy", "enabled", "healthy", 0),
                AdminApiClient.parseBackend("app", """
                        {"id": "app-5000", "url": "http://127.0.0.1:5000", "state": "healthy",
                         "adminState": "enabled", "health": "healthy", "inFlight": 0}"""));
    }

    @Test
    void aBackendWithoutInFlight_isReported() {
        LauncherException e = assertThrows(LauncherException.class, () -> AdminApiClient.parseBackend("app", """
                {"id": "x", "url": "http://127.0.0.1:1", "state": "healthy", "adminState": "enabled"}"""));
        assertTrue(e.getMessage().startsWith("the web tier's admin API sent a backend without 'inFlight'"),
                e.getMessage());
    }

    @Test
    void aBackendWithoutState_isReportedNamingTheField() {
        LauncherException e = assertThrows(LauncherException.class, () -> AdminApiClient.parseBackend("app",
                "{\"id\": \"x\", \"url\": \"http://127.0.0.1:1\", \"adminState\": \"enabled\", \"inFlight\": 0}"));
        assertTrue(e.getMessage().startsWith("the web tier's admin API sent an object without 'state'"),
                e.getMessage());
    }

    @Test
    void somethingOtherThanJson_isReported() {
        LauncherException e = assertThrows(LauncherException.class,
                () -> AdminApiClient.parseStatus("<html>Login</html>"));
        assertTrue(e.getMessage().startsWith("the web tier's admin API sent something other than JSON"),
                e.getMessage());
    }

    @Test
    void aProblemsDetail_namesWhatWasRefused() {
        assertEquals(Optional.of("No backend 'x' in cluster 'app'"), AdminApiClient.problemDetail(
                "{\"type\": \"about:blank\", \"status\": 404, \"detail\": \"No backend 'x' in cluster 'app'\"}"));
        assertEquals(Optional.empty(), AdminApiClient.problemDetail("Forbidden"));
        assertEquals(Optional.empty(), AdminApiClient.problemDetail("{\"status\": 403}"));
    }
}
