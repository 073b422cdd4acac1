package dev.tierline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.catalina.realm.SecretKeyCredentialHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreparedTest {

    @TempDir
    Path dir;

    private Prepared prepare(Map<String, String> env) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/conf")).getParent();
        Path proxyWar = Files.write(dir.resolve("proxy.war"), new byte[] {1});
        Path appWar = Files.write(dir.resolve("app.war"), new byte[] {2});
        Map<String, String> all = new HashMap<>(env);
        all.put("TIERLINE_RUN_DIR", dir.resolve("run").toString());
        return Prepared.prepare(Settings.fromEnvironment(all), new Distribution(home, proxyWar, appWar));
    }

    private static boolean matches(String password, String hash) throws Exception {
        SecretKeyCredentialHandler realm = new SecretKeyCredentialHandler();
        realm.setAlgorithm("PBKDF2WithHmacSHA256");
        realm.setKeyLength(256);
        return realm.matches(password, hash);
    }

    @Test
    void everyTomcat_getsTheAdminAndTheDeployer_asHashesOnly() throws Exception {
        Prepared prepared = prepare(Map.of("TIERLINE_DEPLOYER_USER", "ci", "TIERLINE_DEPLOYER_PASSWORD", "p4ss"));

        for (Instance instance : prepared.instances()) {
            Map<String, String> properties = instance.properties();
            assertEquals(prepared.credentials().user(), properties.get("TIERLINE_ADMIN_USER"), instance.name());
            assertEquals("ci", properties.get("TIERLINE_DEPLOYER_USER"), instance.name());
            assertTrue(matches("p4ss", properties.get("TIERLINE_DEPLOYER_PASSWORD_HASH")), instance.name());
            assertTrue(matches(prepared.credentials().password(), properties.get("TIERLINE_ADMIN_PASSWORD_HASH")));
            assertFalse(properties.containsValue("p4ss"), instance.name());
            assertFalse(properties.containsValue(prepared.credentials().password()), instance.name());
        }
    }

    @Test
    void eachAppInstance_getsItsManagersPort() throws Exception {
        Prepared prepared = prepare(Map.of("TIERLINE_APP_PORTS", "6000,6002", "TIERLINE_APP_MANAGER_OFFSET", "1000"));

        assertEquals("7000", prepared.apps().get(0).properties().get("TIERLINE_APP_MANAGER_PORT"));
        assertEquals("7002", prepared.apps().get(1).properties().get("TIERLINE_APP_MANAGER_PORT"));
        assertTrue(Files.isRegularFile(prepared.apps().get(0).base().resolve("conf/Catalina/localhost/manager.xml")));
    }

    @Test
    void aDeployerNamedLikeTheAdmin_isRefused() {
        LauncherException e = assertThrows(LauncherException.class, () -> prepare(Map.of(
                "TIERLINE_ADMIN_USER", "ops", "TIERLINE_ADMIN_PASSWORD", "a",
                "TIERLINE_DEPLOYER_USER", "ops", "TIERLINE_DEPLOYER_PASSWORD", "b")));
        assertEquals("the admin, deployer and viewer users must have different names: [ops, ops]", e.getMessage());
    }

    @Test
    void withUpstreamTls_eachAppInstanceTakesHttpsOnItsPortPlusOne_andTheWebTierTrustsItsCertificateAlone()
            throws Exception {
        Prepared prepared = prepare(Map.of("TIERLINE_APP_PORTS", "6000,6002", "TIERLINE_UPSTREAM_TLS", "true"));

        Map<String, String> app = prepared.apps().get(0).properties();
        assertEquals("6001", app.get("TIERLINE_APP_TLS_PORT"));
        assertEquals("6003", prepared.apps().get(1).properties().get("TIERLINE_APP_TLS_PORT"));
        assertTrue(Files.isRegularFile(Path.of(app.get("TIERLINE_APP_KEYSTORE_FILE"))));
        String serverXml = Files.readString(prepared.apps().get(0).base().resolve("conf/server.xml"));
        assertFalse(serverXml.contains("<!--tls"), "the HTTPS connector is switched on");
        assertTrue(serverXml.contains("port=\"${TIERLINE_APP_TLS_PORT:-5001}\""), serverXml);
        Map<String, String> web = prepared.web().properties();
        assertEquals("https://127.0.0.1:6001,https://127.0.0.1:6003", web.get("TIERLINE_BACKENDS"));
        assertTrue(Files.isRegularFile(Path.of(web.get("TIERLINE_UPSTREAM_TRUST_STORE"))));
        assertTrue(Files.isRegularFile(Path.of(web.get("TIERLINE_UPSTREAM_TRUST_STORE_PASSWORD_FILE"))));
    }

    @Test
    void withoutUpstreamTls_theAppTiersHttpsConnectorStaysOff() throws Exception {
        Prepared prepared = prepare(Map.of());

        assertTrue(Files.readString(prepared.apps().get(0).base().resolve("conf/server.xml")).contains("<!--tls"));
        assertEquals("http://127.0.0.1:5000,http://127.0.0.1:5002", prepared.web().properties().get("TIERLINE_BACKENDS"));
        assertFalse(prepared.web().properties().containsKey("TIERLINE_UPSTREAM_TRUST_STORE"));
    }
}
