package dev.tierline.proxy.web;

import dev.tierline.proxy.config.ConfigFile;
import dev.tierline.proxy.config.InvalidSettingsException;
import dev.tierline.proxy.config.ProxySettings;
import dev.tierline.proxy.forward.Forwarder;
import dev.tierline.proxy.forward.UpstreamClient;
import dev.tierline.proxy.route.Router;
import dev.tierline.proxy.route.RouterFactory;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Reads the settings, builds the upstream client and registers the proxy servlet. Invalid settings fail
 * the deployment, with every problem in the message.
 */
public final class ProxyBootstrap implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(ProxyBootstrap.class.getName());

    private UpstreamClient client;
    private ConfigReloader reloader;
    private HealthProber prober;
    private JmxView jmx;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        ProxySettings settings;
        ConfigFile.Config config;
        try {
            settings = ProxySettings.parse(context::getInitParameter);
            config = settings.config();
        } catch (InvalidSettingsException e) {
            LOG.severe("Tierline web tier not started, its settings are invalid: " + e.getMessage());
            throw new IllegalStateException("Invalid Tierline settings: " + e.getMessage(), e);
        }
        RouterFactory routers = new RouterFactory(System::nanoTime);
        AtomicReference<Router> router = new AtomicReference<>(routers.build(config));
        client = UpstreamClient.create(settings,
                config.clusters().values().stream().mapToInt(cluster -> cluster.backends().size()).sum());
        client.useIdleTimeouts(config.idleTimeouts());
        ServletRegistration.Dynamic proxy = context.addServlet("proxy",
                new ProxyServlet(router::get, new Forwarder(client, new ExchangeOutcomes())));
        proxy.addMapping("/*");
        proxy.setAsyncSupported(true);
        proxy.setLoadOnStartup(1);
        prober = new HealthProber(router::get, client);
        prober.start();
        jmx = new JmxView(ManagementFactory.getPlatformMBeanServer(), context.getContextPath());
        jmx.show(router.get());
        if (settings.configFile().isPresent()) {
            reloader = new ConfigReloader(settings.configFile().get(), routers, router, (next, nextRouter) -> {
                client.useIdleTimeouts(next.idleTimeouts());
                jmx.show(nextRouter);
            });
            reloader.start(ConfigReloader.INTERVAL);
            jmx.showReloader(reloader);
        }
        LOG.info("Tierline web tier forwarding " + context.getContextPath() + "/* over "
                + settings.upstreamProtocol().token() + ": " + describe(config)
                + settings.configFile().map(file -> " (from " + file + ", reloaded when it changes)").orElse(""));
    }

    /** One line per route: where it matches and the cluster it goes to, with the cluster's backends. */
    static String describe(ConfigFile.Config config) {
        return config.routes().stream().map(route -> route.host().orElse("*") + route.path() + " -> "
                + route.cluster() + " " + config.clusters().get(route.cluster()).backends().stream()
                        .map(backend -> backend.backend().id()).toList()
                + " by " + config.clusters().get(route.cluster()).loadBalancing())
                .collect(java.util.stream.Collectors.joining("; "));
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
        if (client != null) {
            client.close();
        }
    }
}
