package dev.tierline.launcher;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tierline.launcher.AdminApiClient.Backend;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedeployCommandTest {

    @TempDir
    Path dir;

    private Path zip(String name, String... entries) throws Exception {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.closeEntry();
            }
        }
        return file;
    }

    @Test
    void aZipWithEntries_isAccepted() throws Exception {
        assertDoesNotThrow(() -> RedeployCommand.requireWar(zip("app.war", "WEB-INF/web.xml")));
    }

    @Test
    void aMissingWar_isRefused() {
        Path missing = dir.resolve("missing.war");

        LauncherException e = assertThrows(LauncherException.class, () -> RedeployCommand.requireWar(missing));
        assertEquals(missing + " does not exist or is not a file", e.getMessage());
    }

    @Test
    void aTextFileNamedWar_isRefused() throws Exception {
        Path text = Files.writeString(dir.resolve("broken.war"), "not a zip");

        LauncherException e = assertThrows(LauncherException.class, () -> RedeployCommand.requireWar(text));
        assertEquals(text + " is not a WAR: it is not a zip file", e.getMessage());
    }

    @Test
    void anEmptyZip_isRefused() throws Exception {
        Path empty = zip("empty.war");

        LauncherException e = assertThrows(LauncherException.class, () -> RedeployCommand.requireWar(empty));
        assertEquals(empty + " is not a WAR: it is an empty zip file", e.getMessage());
    }

    @Test
    void aFolder_isRefused() {
        assertThrows(LauncherException.class, () -> RedeployCommand.requireWar(dir));
    }

    @Test
    void theInstancesBackends_areTheOnesAtItsPort_inEveryCluster() {
        Backend a = new Backend("app", "app-5000", "http://127.0.0.1:5000", "healthy", "enabled", "healthy", 0);
        Backend b = new Backend("app", "app-5002", "http://127.0.0.1:5002", "healthy", "enabled", "healthy", 0);
        Backend api = new Backend("api", "api-5000", "http://localhost:5000/api", "healthy", "enabled", "healthy", 0);
        Backend elsewhere = new Backend("api", "far", "http://10.0.0.9:5000", "healthy", "enabled", "healthy", 0);
        Backend tls = new Backend("api", "tls", "https://127.0.0.1:5000", "healthy", "enabled", "healthy", 0);

        assertEquals(List.of(a, api), RedeployCommand.backendsOf(5000, List.of(a, b, api, elsewhere, tls)));
        assertEquals(List.of(b), RedeployCommand.backendsOf(5002, List.of(a, b, api, elsewhere, tls)));
        assertEquals(List.of(), RedeployCommand.backendsOf(5004, List.of(a, b, api, elsewhere, tls)));
    }

    @Test
    void options_default_toAMinuteEach_andTheDefaultAdminPath() {
        RedeployCommand.Options options = RedeployCommand.Options.fromEnvironment(Map.of());

        assertEquals(Duration.ofSeconds(60), options.drainTimeout());
        assertEquals(Duration.ofSeconds(60), options.healthTimeout());
        assertEquals("/_admin", options.adminPath());
    }

    @Test
    void options_comeFromTheEnvironment() {
        RedeployCommand.Options options = RedeployCommand.Options.fromEnvironment(Map.of(
                "TIERLINE_REDEPLOY_DRAIN_TIMEOUT", "300", "TIERLINE_REDEPLOY_HEALTH_TIMEOUT", "5",
                "TIERLINE_ADMIN_PATH", "/ops"));

        assertEquals(Duration.ofMinutes(5), options.drainTimeout());
        assertEquals(Duration.ofSeconds(5), options.healthTimeout());
        assertEquals("/ops", options.adminPath());
    }

    @Test
    void aTimeoutThatIsNotSeconds_isReportedNamingTheVariable() {
        LauncherException e = assertThrows(LauncherException.class, () -> RedeployCommand.Options.fromEnvironment(
                Map.of("TIERLINE_REDEPLOY_DRAIN_TIMEOUT", "PT1M")));
        assertEquals("TIERLINE_REDEPLOY_DRAIN_TIMEOUT must be a number of seconds from 1 to 3600, not 'PT1M'",
                e.getMessage());
        assertThrows(LauncherException.class, () -> RedeployCommand.Options.fromEnvironment(
                Map.of("TIERLINE_REDEPLOY_HEALTH_TIMEOUT", "0")));
    }

    @Test
    void anAdminPathWithATrailingSlash_isRefused() {
        assertThrows(LauncherException.class, () -> RedeployCommand.Options.fromEnvironment(
                Map.of("TIERLINE_ADMIN_PATH", "/_admin/")));
    }

    @Test
    void redeploy_withoutAWar_printsItsUsage() {
        LauncherException e = assertThrows(LauncherException.class, () -> Main.run(List.of("redeploy")));
        assertEquals("usage: tierline redeploy WAR", e.getMessage());
    }
}
