package dev.tierline.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run folder made ready: credentials, the HTTPS certificate, and one CATALINA_BASE per Tomcat.
 *
 * @param credentials the admin: the HTML Manager and the admin console
 * @param deployer the Managers' text and JMX interfaces
 * @param web the web tier
 * @param apps the app-tier instances
 */
public record Prepared(Settings settings, Distribution distribution, Credentials credentials, Credentials deployer,
        Keystore keystore, Instance web, List<Instance> apps) {

    /** Writes the run folder for {@code settings}; nothing is started. */
    public static Prepared prepare(Settings settings, Distribution distribution) {
        try {
            Files.createDirectories(settings.runDir());
        } catch (IOException e) {
            throw new LauncherException("cannot create run folder " + settings.runDir() + ": " + e.getMessage(), e);
        }
        Credentials credentials = Credentials.resolve(settings);
        Credentials deployer = Credentials.resolveDeployer(settings);
        requireDifferentUsers(credentials, deployer, settings);
        Keystore keystore = Keystore.ensure(settings.runDir().resolve("tls"), settings.pem());
        // Every Tomcat gets the same hashes: PBKDF2 is slow on purpose, so each is computed once.
        Map<String, String> users = new LinkedHashMap<>();
        users.put("TIERLINE_ADMIN_USER", credentials.user());
        users.put("TIERLINE_ADMIN_PASSWORD_HASH", credentials.passwordHash());
        users.put("TIERLINE_DEPLOYER_USER", deployer.user());
        users.put("TIERLINE_DEPLOYER_PASSWORD_HASH", deployer.passwordHash());

        Optional<Keystore> appKeystore = settings.upstreamTls()
                ? Optional.of(Keystore.ensureAppTier(settings.runDir().resolve("tls"))) : Optional.empty();
        List<Instance> apps = new ArrayList<>();
        for (int port : settings.appPorts()) {
            String name = Settings.instanceName(port);
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("TIERLINE_APP_ADDRESS", Settings.APP_ADDRESS);
            properties.put("TIERLINE_APP_PORT", Integer.toString(port));
            properties.put("TIERLINE_APP_MANAGER_PORT", Integer.toString(settings.managerPort(port)));
            properties.put("TIERLINE_INSTANCE", name);
            // A regular expression for RemoteIpValve's internalProxies: this exact address only.
            properties.put("TIERLINE_WEB_TIER_PROXIES", settings.webTierProxiesPattern());
            properties.put("TIERLINE_TEST_ENDPOINTS", Boolean.toString(settings.testEndpoints()));
            properties.putAll(users);
            Path base = CatalinaBase.create(settings.runDir().resolve(name), "app", distribution.tomcatHome(),
                    distribution.appWar());
            if (appKeystore.isPresent()) {
                properties.put("TIERLINE_APP_TLS_PORT", Integer.toString(settings.appTlsPort(port)));
                properties.put("TIERLINE_APP_KEYSTORE_FILE", appKeystore.get().file().toString());
                properties.put("TIERLINE_APP_KEYSTORE_PASSWORD_FILE", appKeystore.get().passwordFile().toString());
                CatalinaBase.enableAppTls(base);
            }
            apps.add(new Instance(name, base, properties,
                    "http://" + Settings.APP_ADDRESS + ":" + port + Settings.APP_HEALTH_PATH));
        }

        Map<String, String> web = new LinkedHashMap<>();
        web.put("TIERLINE_WEB_ADDRESS", settings.webAddress());
        web.put("TIERLINE_HTTP_PORT", Integer.toString(settings.httpPort()));
        web.put("TIERLINE_HTTPS_PORT", Integer.toString(settings.httpsPort()));
        web.put("TIERLINE_KEYSTORE_FILE", keystore.file().toString());
        web.put("TIERLINE_KEYSTORE_PASSWORD_FILE", keystore.passwordFile().toString());
        web.putAll(users);
        settings.viewer().ifPresent(viewer -> {
            web.put("TIERLINE_VIEWER_USER", viewer.user());
            web.put("TIERLINE_VIEWER_PASSWORD_HASH", viewer.passwordHash());
        });
        web.put("TIERLINE_BACKENDS", settings.backendUrls());
        web.put("TIERLINE_PROXY_SOURCE_ADDRESS", settings.proxySourceAddress());
        appKeystore.map(Keystore::trustStore).ifPresent(trust -> {
            web.put("TIERLINE_UPSTREAM_TRUST_STORE", trust.file().toString());
            web.put("TIERLINE_UPSTREAM_TRUST_STORE_PASSWORD_FILE", trust.passwordFile().toString());
        });
        Instance webInstance = new Instance("web",
                CatalinaBase.create(settings.runDir().resolve("web"), "web", distribution.tomcatHome(),
                        distribution.proxyWar()),
                web, "http://" + settings.reachableWebHost() + ":" + settings.httpPort() + "/manager/text");
        return new Prepared(settings, distribution, credentials, deployer, keystore, webInstance, apps);
    }

    /** One tomcat-users.xml holds them all, where a second user of the same name would replace the first. */
    private static void requireDifferentUsers(Credentials admin, Credentials deployer, Settings settings) {
        List<String> names = new ArrayList<>(List.of(admin.user(), deployer.user()));
        settings.viewer().ifPresent(viewer -> names.add(viewer.user()));
        if (names.stream().distinct().count() != names.size()) {
            throw new LauncherException("the admin, deployer and viewer users must have different names: " + names);
        }
    }

    /** Every instance, the app tier first (it must be up before the web tier forwards to it). */
    public List<Instance> instances() {
        List<Instance> all = new ArrayList<>(apps);
        all.add(web);
        return all;
    }
}
