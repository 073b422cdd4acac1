package dev.tierline.app;

import dev.tierline.app.testing.TestEndpoints;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.logging.Logger;

/**
 * Registers the app's servlets, and its WebSocket echo endpoint where the container has WebSocket support. The test endpoints exist only when the context parameter
 * {@code tierline.testEndpoints} is true, so that production answers 404 for them.
 */
public final class AppBootstrap implements ServletContextListener {

    static final String INSTANCE_PARAM = "tierline.instance";
    static final String TEST_ENDPOINTS_PARAM = "tierline.testEndpoints";
    private static final Logger LOG = Logger.getLogger(AppBootstrap.class.getName());

    private TestEndpoints testEndpoints;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        String instance = instanceName(context.getInitParameter(INSTANCE_PARAM));

        context.addServlet("whoami", new WhoAmIServlet(instance)).addMapping("/api/whoami");
        context.addServlet("health", new HealthServlet()).addMapping("/api/health");
        context.addServlet("items", new ItemsServlet(new ItemStore(ItemStore.DEFAULT_CAPACITY)))
                .addMapping("/api/items", "/api/items/*");
        // The error page, and every path nothing else serves: a 404 with a problem body, not Tomcat's
        // default servlet serving files.
        context.addServlet("error", new ErrorServlet()).addMapping("/error", "/");
        if (context.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer webSockets) {
            try {
                webSockets.addEndpoint(ServerEndpointConfig.Builder.create(EchoEndpoint.class, EchoEndpoint.PATH).build());
            } catch (DeploymentException e) {
                throw new IllegalStateException("Cannot serve " + EchoEndpoint.PATH + " over WebSocket", e);
            }
        } else {
            LOG.warning("This container has no WebSocket support: " + EchoEndpoint.PATH + " is not served");
        }

        if (Boolean.parseBoolean(context.getInitParameter(TEST_ENDPOINTS_PARAM))) {
            testEndpoints = new TestEndpoints();
            ServletRegistration.Dynamic registration = context.addServlet("test", testEndpoints.servlet());
            registration.setAsyncSupported(true);
            registration.addMapping("/api/test/*");
            LOG.warning("Test endpoints are on at " + context.getContextPath()
                    + "/api/test/*: this configuration is not for production");
        }
        LOG.info("Tierline app tier started as instance " + instance);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (testEndpoints != null) {
            testEndpoints.close();
        }
    }

    private static String instanceName(String configured) {
        if (configured != null && !configured.isBlank() && !configured.startsWith("${")) {
            return configured;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "app";
        }
    }
}
