package dev.tierline.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalinaBaseTest {

    @TempDir
    Path dir;

    private Path fakeTomcatHome() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/conf"));
        Files.writeString(home.resolve("web.xml"), "<web-app/>");
        Files.writeString(home.resolve("server.xml"), "<Server distribution=\"true\"/>");
        return home.getParent();
    }

    @Test
    void webBase_hasTomcatConfsFiles_theDistributionsDefaults_andTheWarAsRoot() throws Exception {
        Path war = Files.write(dir.resolve("proxy.war"), new byte[] {1, 2, 3});

        Path base = CatalinaBase.create(dir.resolve("web"), "web", fakeTomcatHome(), war);

        assertTrue(Files.readString(base.resolve("conf/server.xml")).contains("Tierline web tier"));
        assertTrue(Files.isRegularFile(base.resolve("conf/tomcat-users.xml")));
        assertTrue(Files.isRegularFile(base.resolve("conf/Catalina/localhost/manager.xml")));
        assertTrue(Files.isRegularFile(base.resolve("bin/setenv.sh")));
        assertTrue(Files.isRegularFile(base.resolve("lib/tomcat-conf.jar")), "the error report valve's jar");
        assertEquals("<web-app/>", Files.readString(base.resolve("conf/web.xml")));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(base.resolve("webapps/ROOT.war")));
        for (String sub : new String[] {"logs", "temp", "work"}) {
            assertTrue(Files.isDirectory(base.resolve(sub)), sub);
        }
    }

    @Test
    void appBase_hasTheManager_onItsOwnPort_forLoopbackPeersOtherThanTheWebTier() throws Exception {
        Path war = Files.write(dir.resolve("app.war"), new byte[] {1});

        Path base = CatalinaBase.create(dir.resolve("app"), "app", fakeTomcatHome(), war);

        String server = Files.readString(base.resolve("conf/server.xml"));
        assertTrue(server.contains("port=\"${TIERLINE_APP_MANAGER_PORT:-5100}\""), "the Manager's connector");
        assertTrue(server.contains("org.apache.catalina.realm.LockOutRealm"));
        String manager = Files.readString(base.resolve("conf/Catalina/localhost/manager.xml"));
        assertTrue(manager.contains("docBase=\"${catalina.home}/webapps/manager\""), "the distribution's Manager");
        assertTrue(manager.contains("usePeerAddress=\"true\" addConnectorPort=\"true\""), manager);
        assertTrue(manager.contains(";${TIERLINE_APP_MANAGER_PORT:-5100}\""), manager);
        assertTrue(manager.contains("deny=\"(?:${TIERLINE_WEB_TIER_PROXIES:-127\\.0\\.0\\.2});\\d+\""), manager);
        String users = Files.readString(base.resolve("conf/tomcat-users.xml"));
        assertTrue(users.contains("roles=\"manager-gui\""), users);
        assertTrue(users.contains("roles=\"manager-script,manager-jmx\""), users);
    }

    @Test
    void secondRun_replacesConfigurationAndWork_butKeepsLogs() throws Exception {
        Path war = Files.write(dir.resolve("app.war"), new byte[] {1});
        Path home = fakeTomcatHome();
        Path base = CatalinaBase.create(dir.resolve("app"), "app", home, war);
        Files.writeString(base.resolve("logs/catalina.log"), "kept");
        Files.writeString(base.resolve("work/stale"), "stale");
        Files.writeString(base.resolve("conf/Catalina/localhost/old.xml"), "<Context/>");

        CatalinaBase.create(base, "app", home, war);

        assertEquals("kept", Files.readString(base.resolve("logs/catalina.log")));
        assertFalse(Files.exists(base.resolve("work/stale")));
        assertFalse(Files.exists(base.resolve("conf/Catalina/localhost/old.xml")));
        assertTrue(Files.readString(base.resolve("conf/server.xml")).contains("RemoteIpValve"));
    }
}
