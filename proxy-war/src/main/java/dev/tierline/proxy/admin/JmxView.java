package dev.tierline.proxy.admin;

import dev.tierline.proxy.balance.BackendState;
import dev.tierline.proxy.balance.Cluster;
import dev.tierline.proxy.config.AdminState;
import dev.tierline.proxy.config.ConfigReloader;
import dev.tierline.proxy.forward.PoolUse;
import dev.tierline.proxy.route.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers the web tier's MBeans: one per backend of the running routes (re-registered at each reload)
 * and, with a configuration file, one to reload it. Names carry the context path, since several proxies
 * may run in one Tomcat.
 */
public final class JmxView implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JmxView.class.getName());

    /** Who and where, in the audit log, for a change made over JMX, which does not tell. */
    static final String JMX = "jmx";

    private final MBeanServer server;
    private final String context;
    private final List<ObjectName> backends = new ArrayList<>();
    private ObjectName configuration;
    private ObjectName pool;
    private final AuditLog audit;

    /** @param audit where the changes made over JMX are written, beside those made through the admin API */
    public JmxView(MBeanServer server, String contextPath, AuditLog audit) {
        this.server = server;
        this.audit = audit;
        this.context = ObjectName.quote(contextPath.isEmpty() ? "/" : contextPath);
    }

    /** Shows the backends of {@code router}, in place of those shown before. */
    public synchronized void show(Router router) {
        unregister(backends);
        backends.clear();
        for (Cluster cluster : router.clusters()) {
            for (BackendState member : cluster.members()) {
                ObjectName name = name("type=Backend,context=" + context + ",cluster=" + ObjectName.quote(cluster.id())
                        + ",backend=" + ObjectName.quote(member.backend().id()));
                if (register(new Status(member, cluster.id() + "/" + member.backend().id(), audit), name)) {
                    backends.add(name);
                }
            }
        }
    }

    public synchronized void showReloader(ConfigReloader reloader) {
        ObjectName name = name("type=Configuration,context=" + context);
        if (register(new Configuration(reloader, audit), name)) {
            configuration = name;
        }
    }

    /** Shows the upstream connection pool's use, as {@code use} tells it at each read. */
    public synchronized void showPool(Supplier<Optional<PoolUse>> use) {
        ObjectName name = name("type=UpstreamPool,context=" + context);
        if (register(new Pool(use), name)) {
            pool = name;
        }
    }

    private record Pool(Supplier<Optional<PoolUse>> use) implements UpstreamPoolMXBean {

        @Override
        public int getLeased() {
            return use.get().map(PoolUse::leased).orElse(-1);
        }

        @Override
        public int getAvailable() {
            return use.get().map(PoolUse::available).orElse(-1);
        }

        @Override
        public int getPending() {
            return use.get().map(PoolUse::pending).orElse(-1);
        }

        @Override
        public int getMax() {
            return use.get().map(PoolUse::max).orElse(-1);
        }
    }

    private ObjectName name(String properties) {
        try {
            return new ObjectName("dev.tierline:" + properties);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean register(Object bean, ObjectName name) {
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(bean, name);
            return true;
        } catch (JMException e) {
            LOG.warning("Cannot register " + name + " over JMX: " + e);
            return false;
        }
    }

    private void unregister(List<ObjectName> names) {
        for (ObjectName name : names) {
            try {
                if (server.isRegistered(name)) {
                    server.unregisterMBean(name);
                }
            } catch (JMException e) {
                LOG.warning("Cannot unregister " + name + ": " + e);
            }
        }
    }

    @Override
    public synchronized void close() {
        unregister(backends);
        backends.clear();
        if (configuration != null) {
            unregister(List.of(configuration));
        }
        if (pool != null) {
            unregister(List.of(pool));
        }
    }

    private record Status(BackendState member, String target, AuditLog audit) implements BackendStatusMXBean {

        private void set(String action, AdminState state) {
            String before = getAdminState();
            member.setAdminState(state);
            audit.record(JMX, JMX, action, target, before, getAdminState());
        }

        @Override
        public String getUrl() {
            return member.backend().origin() + member.backend().basePath();
        }

        @Override
        public int getInFlight() {
            return member.inFlight();
        }

        @Override
        public String getAdminState() {
            return member.adminState().name().toLowerCase(Locale.ROOT);
        }

        @Override
        public boolean isAvailable() {
            return member.available();
        }

        @Override
        public boolean isEjected() {
            return member.health().isEjected();
        }

        @Override
        public boolean isFailingProbes() {
            return member.health().failsProbes();
        }

        @Override
        public double getWeight() {
            return member.weight();
        }

        @Override
        public String getState() {
            return StatusView.state(member);
        }

        @Override
        public int getConfiguredWeight() {
            return member.configuredWeight();
        }

        @Override
        public long getRequests() {
            return member.stats().requests();
        }

        @Override
        public long getEjections() {
            return member.health().ejections();
        }

        @Override
        public double getLatencyP99Seconds() {
            return member.stats().lastSeconds(60).percentile(0.99);
        }

        @Override
        public void drain() {
            set("drain", AdminState.DRAINING);
        }

        @Override
        public void disable() {
            set("disable", AdminState.DISABLED);
        }

        @Override
        public void enable() {
            set("enable", AdminState.ENABLED);
        }
    }

    private record Configuration(ConfigReloader reloader, AuditLog audit) implements ConfigurationMXBean {

        @Override
        public String getFile() {
            return reloader.file().toString();
        }

        @Override
        public String reload() {
            String result = reloader.reloadNow();
            audit.record(JMX, JMX, "reload", reloader.file().toString(), "", result);
            return result;
        }
    }
}
