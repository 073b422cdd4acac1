package dev.tierline.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run folder made ready: credentials, the HTTPS certificate, and one CATALINA_BASE per Tomcat.
 *
 * @param web the web tier
 * @param apps the app-tier instances
 */
public record Prepared(Settings settings, Distribution distribution, Credentials credentials, Keystore keystore,
        Instance web, List<Instance> apps) {

    /** Writes the run folder for {@code settings}; nothing is started. */
    public static Prepared prepare(Settings settings, Distribution distribution) {
        try {
            Files.createDirectories(settings.runDir());
        } catch (IOException e) {
            throw new LauncherException("cannot create run folder " + settings.runDir() + ": " + e.getMessage(), e);
        }
        Credentials credentials = Credentials.resolve(settings);
        Keystore keystore = Keystore.ensure(settings.runDir().resolve("tls"));

        List<Instance> apps = new ArrayList<>();
        for (int port : settings.appPorts()) {
            String name = Settings.instanceName(port);
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("TIERLINE_APP_ADDRESS", Settings.APP_ADDRESS);
            properties.put("TIERLINE_APP_PORT", Integer.toString(port));
            properties.put("TIERLINE_INSTANCE", name);
            // A regular expression for RemoteIpValve's internalProxies: this exact address only.
            properties.put("TIERLINE_WEB_TIER_PROXIES", settings.webTierProxiesPattern());
            properties.put("TIERLINE_TEST_ENDPOINTS", Boolean.toString(settings.testEndpoints()));
            apps.add(new Instance(name,
                    CatalinaBase.create(settings.runDir().resolve(name), "app", distribution.tomcatHome(),
                            distribution.appWar()),
                    properties, "http://" + Settings.APP_ADDRESS + ":" + port + "/api/health"));
        }

        Map<String, String> web = new LinkedHashMap<>();
        web.put("TIERLINE_WEB_ADDRESS", settings.webAddress());
        web.put("TIERLINE_HTTP_PORT", Integer.toString(settings.httpPort()));
        web.put("TIERLINE_HTTPS_PORT", Integer.toString(settings.httpsPort()));
        web.put("TIERLINE_KEYSTORE_FILE", keystore.file().toString());
        web.put("TIERLINE_KEYSTORE_PASSWORD_FILE", keystore.passwordFile().toString());
        web.put("TIERLINE_ADMIN_USER", credentials.user());
        web.put("TIERLINE_ADMIN_PASSWORD_HASH", credentials.passwordHash());
        settings.viewer().ifPresent(viewer -> {
            web.put("TIERLINE_VIEWER_USER", viewer.user());
            web.put("TIERLINE_VIEWER_PASSWORD_HASH", viewer.passwordHash());
        });
        web.put("TIERLINE_BACKENDS", settings.backendUrls());
        web.put("TIERLINE_PROXY_SOURCE_ADDRESS", settings.proxySourceAddress());
        Instance webInstance = new Instance("web",
                CatalinaBase.create(settings.runDir().resolve("web"), "web", distribution.tomcatHome(),
                        distribution.proxyWar()),
                web, "http://" + settings.reachableWebHost() + ":" + settings.httpPort() + "/manager/text");
        return new Prepared(settings, distribution, credentials, keystore, webInstance, apps);
    }

    /** Every instance, the app tier first (it must be up before the web tier forwards to it). */
    public List<Instance> instances() {
        List<Instance> all = new ArrayList<>(apps);
        all.add(web);
        return all;
    }
}
