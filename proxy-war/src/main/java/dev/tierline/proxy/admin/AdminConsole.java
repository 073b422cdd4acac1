package dev.tierline.proxy.admin;

import dev.tierline.proxy.config.AdminSettings;
import dev.tierline.proxy.config.ConfigReloader;
import dev.tierline.proxy.forward.PoolUse;
import dev.tierline.proxy.health.HealthProber;
import dev.tierline.proxy.metrics.Traffic;
import dev.tierline.proxy.route.Router;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.HttpConstraintElement;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.annotation.ServletSecurity;
import java.util.EnumSet;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Puts the admin console, its API and its metrics under the admin path, which the proxy then never forwards:
 * HTTPS only (the container redirects HTTP), behind {@link AdminGate}, and every change behind Tomcat's
 * RestCsrfPreventionFilter, so a cross-site form post gets 403.
 */
public final class AdminConsole {

    /** The session cookie of the admin paths: its own name and path, so it never reaches the app tier. */
    static final String SESSION_COOKIE = "TIERLINE_ADMIN_SESSION";
    /** Tomcat's CSRF protection for REST clients: a token fetched with a GET, sent back with every change. */
    static final String CSRF_FILTER = "org.apache.catalina.filters.RestCsrfPreventionFilter";

    private AdminConsole() {
    }

    /**
     * Registers it all; to be called while the context starts.
     *
     * @param reloader the configuration file's, when there is one: reloads and backend changes go through it
     * @param probe how to probe a backend on demand
     * @param pool the upstream connection pool's use, when it has one
     * @param audit the log of changes, shared with the JMX view
     */
    public static void install(ServletContext context, AdminSettings settings, Supplier<Router> router,
            Optional<ConfigReloader> reloader, HealthProber.Probe probe, Traffic traffic,
            Supplier<Optional<PoolUse>> pool, AuditLog audit) {
        String path = settings.path();
        SessionCookieConfig cookie = context.getSessionCookieConfig();
        cookie.setName(SESSION_COOKIE);
        cookie.setPath(context.getContextPath() + path);
        cookie.setHttpOnly(true);
        cookie.setSecure(true);
        cookie.setAttribute("SameSite", "Strict");
        context.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.COOKIE));

        FilterRegistration.Dynamic gate = context.addFilter("tierline-admin-gate", new AdminGate(settings));
        gate.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, path + "/*");
        FilterRegistration.Dynamic csrf = context.addFilter("tierline-admin-csrf", CSRF_FILTER);
        csrf.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, path + "/api/*");

        register(context, "tierline-admin-api", new AdminApi(router, reloader, probe, audit), path + "/api/*");
        register(context, "tierline-admin-metrics", new PrometheusMetrics(router, traffic, pool), path + "/metrics");
        register(context, "tierline-admin-console", new ConsoleServlet(), path + "/*");
        register(context, "tierline-admin-login", new LoginServlet(), path + "/login", path + "/logout");
    }

    private static void register(ServletContext context, String name, jakarta.servlet.Servlet servlet,
            String... mappings) {
        ServletRegistration.Dynamic registration = context.addServlet(name, servlet);
        registration.addMapping(mappings);
        // The container redirects a plain HTTP request to its HTTPS port before anything here runs.
        registration.setServletSecurity(new ServletSecurityElement(new HttpConstraintElement(
                ServletSecurity.TransportGuarantee.CONFIDENTIAL)));
    }
}
