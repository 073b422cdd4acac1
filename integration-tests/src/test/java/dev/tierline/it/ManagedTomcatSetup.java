package dev.tierline.it;

import dev.tierline.launcher.Distribution;
import dev.tierline.launcher.Prepared;
import dev.tierline.launcher.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * For the managed run only: writes the web tier's CATALINA_BASE from tomcat-conf with the launcher's own
 * code, exactly as the run command does, and hands its location, credentials and TIERLINE_* values to
 * arquillian.xml as system properties before Arquillian reads it.
 */
public final class ManagedTomcatSetup implements LauncherSessionListener {

    private static final java.util.List<String> CATALINA_SH_OPENS = java.util.List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED");

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!"managed".equals(System.getProperty("arquillian.launch"))) {
            return;
        }
        String httpPort = System.getProperty("tierline.it.httpPort");
        Path runDir = Path.of(System.getProperty("tierline.it.dir"), "managed-run");
        Map<String, String> env = Map.of(
                "TIERLINE_RUN_DIR", runDir.toString(),
                "TIERLINE_HTTP_PORT", httpPort,
                "TIERLINE_HTTPS_PORT", System.getProperty("tierline.it.httpsPort"),
                "TIERLINE_TEST_ENDPOINTS", "true");
        Distribution distribution = Distribution.in(Path.of(System.getProperty("tierline.distribution.dir")));
        Prepared prepared = Prepared.prepare(Settings.fromEnvironment(env), distribution);

        Map<String, String> properties = new LinkedHashMap<>(prepared.web().properties());
        // The ROOT proxy of the base forwards to the app the tests deploy at /app.
        properties.put("TIERLINE_BACKENDS", "http://127.0.0.1:" + httpPort + "/app");
        // Small enough that a proxy or app holding a 50 MiB body in memory would fail the streaming tests.
        // The adapter starts java itself, not catalina.sh, so it also needs catalina.sh's --add-opens.
        String vmArguments = "-Xmx128m " + String.join(" ", CATALINA_SH_OPENS) + " " + properties.entrySet().stream()
                .map(entry -> "-D" + entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(" "));
        System.setProperty("tierline.it.catalinaHome", distribution.tomcatHome().toString());
        System.setProperty("tierline.it.catalinaBase", prepared.web().base().toString());
        // Arquillian deploys through the Manager's text interface: the deployer's, not the admin's.
        System.setProperty("tierline.it.user", prepared.deployer().user());
        System.setProperty("tierline.it.password", prepared.deployer().password());
        System.setProperty("tierline.it.vmArguments", vmArguments);
    }
}
