package dev.tierline.proxy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.proxy.config.ConfigFile;
import dev.tierline.proxy.forward.BackendChoice;
import dev.tierline.proxy.route.Router;
import dev.tierline.proxy.route.RouterFactory;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import java.util.List;
import org.junit.jupiter.api.Test;

class JmxViewTest {

    private static final String CONFIG = """
            {"routes": [{"path": "/", "cluster": "app"}],
             "clusters": {"app": {"backends": [{"id": "one", "url": "http://127.0.0.1:5000"},
                                               {"id": "two", "url": "http://127.0.0.1:5002"}]}}}
            """;

    @Test
    void eachBackend_showsItsRequestsInFlight_andCanBeDrainedAndEnabled() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        Router router = new RouterFactory(System::nanoTime).build(ConfigFile.parse(CONFIG));
        AuditLog audit = new AuditLog();
        try (JmxView view = new JmxView(server, "/proxy", audit)) {
            view.show(router);
            ObjectName one = new ObjectName("dev.tierline:type=Backend,context=\"/proxy\",cluster=\"app\",backend=\"one\"");
            BackendChoice inFlight = router.match("/").orElseThrow().cluster().choose("10.0.0.1").orElseThrow();
            String chosen = inFlight.backend().id();

            ObjectName busy = new ObjectName(one.toString().replace("\"one\"", "\"" + chosen + "\""));
            assertEquals(1, server.getAttribute(busy, "InFlight"));
            assertEquals(0L, server.getAttribute(busy, "Requests"), "counted once it ends");
            inFlight.ended(dev.tierline.proxy.forward.ForwardOutcome.COMPLETED);
            assertEquals(1L, server.getAttribute(busy, "Requests"));
            assertEquals(0, server.getAttribute(busy, "InFlight"));
            assertEquals("http://127.0.0.1:" + inFlight.backend().port(), server.getAttribute(busy, "Url"));

            server.invoke(one, "drain", null, null);
            assertEquals("draining", server.getAttribute(one, "AdminState"));
            assertEquals("draining", server.getAttribute(one, "State"));
            assertEquals(false, server.getAttribute(one, "Available"));
            for (int i = 0; i < 4; i++) {
                assertEquals("two", router.match("/").orElseThrow().cluster().choose("10.0.0.1").orElseThrow()
                        .backend().id(), "a draining backend gets no new requests");
            }
            server.invoke(one, "enable", null, null);
            assertEquals(List.of("enable app/one draining -> enabled", "drain app/one enabled -> draining"),
                    audit.recent().stream().map(entry -> entry.action() + " " + entry.target() + " " + entry.before()
                            + " -> " + entry.after()).toList(), "changes over JMX are audited too");
            assertEquals(true, server.getAttribute(one, "Available"));

            view.show(new RouterFactory(System::nanoTime).build(ConfigFile.parse(CONFIG.replace("\"two\"", "\"three\""))));
            assertTrue(server.isRegistered(one));
            assertFalse(server.isRegistered(new ObjectName(one.toString().replace("\"one\"", "\"two\""))),
                    "a backend the reload removed is no longer shown");
        }
        assertEquals(0, server.queryNames(new ObjectName("dev.tierline:*"), null).size(), "closed: all gone");
    }
}
