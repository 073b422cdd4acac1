package dev.tierline.proxy.web;

import dev.tierline.proxy.admin.AdminConsole;
import dev.tierline.proxy.admin.AuditLog;
import dev.tierline.proxy.admin.JmxView;
import dev.tierline.proxy.config.Config;
import dev.tierline.proxy.config.ConfigReloader;
import dev.tierline.proxy.config.InvalidSettingsException;
import dev.tierline.proxy.config.ProxySettings;
import dev.tierline.proxy.forward.Forwarder;
import dev.tierline.proxy.forward.UpstreamClient;
import dev.tierline.proxy.forward.WebSocketTunnels;
import dev.tierline.proxy.health.HealthProber;
import dev.tierline.proxy.metrics.Traffic;
import dev.tierline.proxy.route.Router;
import dev.tierline.proxy.route.RouterFactory;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Reads the settings and wires the web tier together: the upstream client, the routes, the proxy servlet,
 * health probes, the JMX view and configuration reloads. Invalid settings fail the deployment, with every
 * problem in the message.
 */
public final class ProxyBootstrap implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(ProxyBootstrap.class.getName());

    private UpstreamClient client;
    private WebSocketTunnels tunnels;
    private ConfigReloader reloader;
    private HealthProber prober;
    private JmxView jmx;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        ProxySettings settings;
        try {
            settings = ProxySettings.parse(context::getInitParameter);
        } catch (InvalidSettingsException e) {
            LOG.severe("Tierline web tier not started, its settings are invalid: " + e.getMessage());
            throw new IllegalStateException("Invalid Tierline settings: " + e.getMessage(), e);
        }
        Config config = settings.config();
        RouterFactory routers = new RouterFactory(System::nanoTime);
        AtomicReference<Router> router = new AtomicReference<>(routers.build(config));
        client = UpstreamClient.create(settings.upstream(), config);
        Traffic traffic = new Traffic();
        tunnels = new WebSocketTunnels(settings.upstream().sourceAddress());
        ServletRegistration.Dynamic proxy = context.addServlet("proxy",
                new ProxyServlet(router::get, new Forwarder(client, new ExchangeOutcomes(traffic), settings.clients()),
                        tunnels, traffic, settings.clients(), settings.https()));
        proxy.addMapping("/*");
        proxy.setAsyncSupported(true);
        proxy.setLoadOnStartup(1);
        prober = new HealthProber(() -> router.get().probeTargets(), client::probe);
        prober.start();
        AuditLog audit = new AuditLog();
        jmx = new JmxView(ManagementFactory.getPlatformMBeanServer(), context.getContextPath(), audit);
        jmx.show(router.get());
        jmx.showPool(client::poolUse);
        if (settings.configFile().isPresent()) {
            reloader = new ConfigReloader(settings.configFile().get(), config, next -> {
                Router nextRouter = routers.build(next);
                router.set(nextRouter);
                client.useIdleTimeouts(next.idleTimeouts());
                jmx.show(nextRouter);
            });
            reloader.start(ConfigReloader.INTERVAL);
            jmx.showReloader(reloader);
        }
        AdminConsole.install(context, settings.admin(), router::get, Optional.ofNullable(reloader), client::probe,
                traffic, client::poolUse, audit);
        LOG.info("Tierline web tier forwarding " + context.getContextPath() + "/* but " + settings.admin().path()
                + "/* (the admin console, HTTPS only) over "
                + settings.upstream().protocol().token() + ": " + config.describe()
                + settings.configFile().map(file -> " (from " + file + ", reloaded when it changes)").orElse(""));
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (reloader != null) {
            reloader.close();
        }
        if (prober != null) {
            prober.close();
        }
        if (jmx != null) {
            jmx.close();
        }
        if (tunnels != null) {
            tunnels.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
