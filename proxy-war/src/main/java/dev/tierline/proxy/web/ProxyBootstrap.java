package dev.tierline.proxy.web;

import dev.tierline.proxy.balance.Cluster;
import dev.tierline.proxy.balance.Policies;
import dev.tierline.proxy.config.InvalidSettingsException;
import dev.tierline.proxy.config.ProxySettings;
import dev.tierline.proxy.forward.Forwarder;
import dev.tierline.proxy.forward.UpstreamClient;
import dev.tierline.proxy.route.Route;
import dev.tierline.proxy.route.Router;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.util.List;
import java.util.logging.Logger;

/**
 * Reads the settings, builds the upstream client and registers the proxy servlet. Invalid settings fail
 * the deployment, with every problem in the message.
 */
public final class ProxyBootstrap implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(ProxyBootstrap.class.getName());

    private UpstreamClient client;

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
        client = UpstreamClient.create(settings);
        Cluster cluster = Cluster.of("app", settings.backends(),
                Policies.create(settings.policy(), Policies.threadSafeRandom()));
        Router router = new Router(List.of(new Route("default", "/", cluster, settings.route())));
        ServletRegistration.Dynamic proxy = context.addServlet("proxy",
                new ProxyServlet(router, new Forwarder(client, new ExchangeOutcomes())));
        proxy.addMapping("/*");
        proxy.setAsyncSupported(true);
        proxy.setLoadOnStartup(1);
        LOG.info("Tierline web tier forwarding " + context.getContextPath() + "/* to " + settings.backends()
                + " over " + settings.upstreamProtocol().token() + ", balanced by " + settings.policy());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (client != null) {
            client.close();
        }
    }
}
