package dev.tierline.launcher;

import dev.tierline.tomcat.GracefulStopValve;
import dev.tierline.tomcat.RefuseHttp09Valve;
import dev.tierline.tomcat.TlsPolicy;
import dev.tierline.tomcat.WebTierHttp11NioProtocol;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.catalina.valves.RemoteIpValve;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * Both tiers in this JVM on embedded Tomcat, for IDE use: the same WARs, ports and trust rules as the
 * distribution topology, set up in code instead of from tomcat-conf, and without the Manager.
 */
final class EmbeddedTopology {

    private final PrintStream out;
    private final List<Tomcat> started = Collections.synchronizedList(new ArrayList<>());

    EmbeddedTopology(PrintStream out) {
        this.out = out;
    }

    int run(Settings settings, Distribution distribution) {
        Ports.requireFree(settings, false);
        Keystore keystore = Keystore.ensure(settings.runDir().resolve("tls"), settings.pem());
        Credentials admin = Credentials.resolve(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopAll();
            stopped.countDown();
        }, "tierline-stop"));
        try {
            for (int port : settings.appPorts()) {
                started.add(startApp(settings, distribution.appWar(), port));
            }
            started.add(startWeb(settings, distribution.proxyWar(), keystore, admin));
        } catch (LifecycleException | IOException e) {
            stopAll();
            throw new LauncherException("embedded Tomcat did not start: " + e.getMessage(), e);
        }
        Banner.print(out, settings, admin, Optional.empty(), ServerInfo.getServerInfo() + " embedded");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static Tomcat startApp(Settings settings, Path war, int port) throws LifecycleException, IOException {
        String name = Settings.instanceName(port);
        Tomcat tomcat = newTomcat(settings, settings.runDir().resolve("embedded").resolve(name));
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", Settings.APP_ADDRESS);
        tomcat.setConnector(connector);
        if (settings.upstreamTls()) {
            // As tomcat-conf's app server.xml with its HTTPS connector switched on.
            Keystore keystore = Keystore.ensureAppTier(settings.runDir().resolve("tls"));
            tomcat.getService().addConnector(httpsConnector(Settings.APP_ADDRESS, settings.appTlsPort(port), keystore));
        }
        tomcat.getEngine().setJvmRoute(name);
        // As in tomcat-conf's app server.xml: X-Forwarded-* is believed from the web tier's address only.
        RemoteIpValve remoteIp = new RemoteIpValve();
        remoteIp.setInternalProxies(settings.webTierProxiesPattern());
        remoteIp.setTrustedProxies("");
        remoteIp.setRemoteIpHeader("X-Forwarded-For");
        remoteIp.setProtocolHeader("X-Forwarded-Proto");
        remoteIp.setHostHeader("X-Forwarded-Host");
        remoteIp.setPortHeader("X-Forwarded-Port");
        remoteIp.setChangeLocalName(true);
        remoteIp.setChangeLocalPort(true);
        tomcat.getHost().getPipeline().addValve(remoteIp);
        Context context = tomcat.addWebapp("", war.toString());
        context.addParameter("tierline.instance", name);
        context.addParameter("tierline.testEndpoints", Boolean.toString(settings.testEndpoints()));
        tomcat.start();
        return tomcat;
    }

    private static Tomcat startWeb(Settings settings, Path war, Keystore keystore, Credentials admin)
            throws LifecycleException, IOException {
        Tomcat tomcat = newTomcat(settings, settings.runDir().resolve("embedded/web"));
        // The admin console's users, in embedded Tomcat's own realm (kept in memory) rather than tomcat-conf's.
        tomcat.addUser(admin.user(), admin.password());
        tomcat.addRole(admin.user(), "tierline-viewer");
        tomcat.addRole(admin.user(), "tierline-operator");
        settings.viewer().ifPresent(viewer -> {
            tomcat.addUser(viewer.user(), viewer.password());
            tomcat.addRole(viewer.user(), "tierline-viewer");
        });
        // As in tomcat-conf's server.xml: each request head has a deadline (slowloris).
        Connector http = new Connector(WebTierHttp11NioProtocol.class.getName());
        http.setPort(settings.httpPort());
        http.setProperty("address", settings.webAddress());
        http.setRedirectPort(settings.httpsPort());
        compress(http);
        tomcat.setConnector(http);

        Connector https = httpsConnector(settings.webAddress(), settings.httpsPort(), keystore);
        // As in tomcat-conf's server.xml: HTTP/2 for clients that offer it in TLS (ALPN h2).
        https.addUpgradeProtocol(new Http2Protocol());
        compress(https);
        tomcat.getService().addConnector(https);

        Context context = tomcat.addWebapp("", war.toString());
        context.addParameter("tierline.backends", settings.backendUrls());
        context.addParameter("tierline.sourceAddress", settings.proxySourceAddress());
        context.addParameter("tierline.httpsPort", String.valueOf(settings.httpsPort()));
        if (settings.upstreamTls()) {
            Keystore trust = Keystore.ensureAppTier(settings.runDir().resolve("tls")).trustStore();
            context.addParameter("tierline.upstreamTrustStore", trust.file().toString());
            context.addParameter("tierline.upstreamTrustStorePasswordFile", trust.passwordFile().toString());
        }
        tomcat.start();
        return tomcat;
    }

    /** As tomcat-conf's server.xml: gzip for clients that accept it, for the types the protocol lists, never twice. */
    private static void compress(Connector connector) {
        connector.setProperty("compression", "on");
    }

    /** An HTTPS connector as tomcat-conf's server.xml sets one up: TLS 1.2 and 1.3, forward-secret AEAD suites. */
    private static Connector httpsConnector(String address, int port, Keystore keystore) {
        Connector https = new Connector(WebTierHttp11NioProtocol.class.getName());
        https.setPort(port);
        https.setProperty("address", address);
        https.setProperty("SSLEnabled", "true");
        https.setScheme("https");
        https.setSecure(true);
        SSLHostConfig tls = new SSLHostConfig();
        tls.setProtocols(TlsPolicy.PROTOCOLS);
        tls.setCiphers(TlsPolicy.CIPHERS);
        tls.setHonorCipherOrder(true);
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(tls, SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setCertificateKeystoreFile(keystore.file().toString());
        certificate.setCertificateKeystorePasswordFile(keystore.passwordFile().toString());
        certificate.setCertificateKeystoreType("PKCS12");
        tls.addCertificate(certificate);
        https.addSslHostConfig(tls);
        return https;
    }

    private static Tomcat newTomcat(Settings settings, Path baseDir) throws IOException {
        Files.createDirectories(baseDir.resolve("webapps"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        // As in tomcat-conf's server.xml: HTTP/0.9 is refused.
        tomcat.getEngine().getPipeline().addValve(new RefuseHttp09Valve());
        // As there too: a stop lets the requests in flight finish, and closes the connections of those it cuts short.
        GracefulStopValve gracefulStop = new GracefulStopValve();
        gracefulStop.setGraceMillis(settings.shutdownGrace().toMillis());
        tomcat.getEngine().getPipeline().addValve(gracefulStop);
        // Both WARs map every path themselves; the default and JSP servlets would be dead weight.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        return tomcat;
    }

    private void stopAll() {
        List<Tomcat> all = new ArrayList<>(started);
        Collections.reverse(all);
        for (Tomcat tomcat : all) {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException e) {
                out.println("tierline: embedded Tomcat did not stop cleanly: " + e.getMessage());
            }
        }
        started.clear();
    }
}
