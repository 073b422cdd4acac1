package dev.tierline.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.Hashtable;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.catalina.valves.RemoteAddrValve;
import org.apache.tomcat.util.IntrospectionUtils;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The app tier's manager.xml: its address valve, built as Tomcat builds it from the file (placeholders
 * resolved from the environment the launcher gives an instance), decides who reaches the Manager.
 */
class AppManagerAccessTest {

    private static final Map<String, String> INSTANCE = Map.of(
            "TIERLINE_APP_MANAGER_PORT", "5100",
            "TIERLINE_WEB_TIER_PROXIES", "\\Q127.0.0.2\\E");

    private static RemoteAddrValve valve(Map<String, String> env) throws Exception {
        Element element;
        try (InputStream in = AppManagerAccessTest.class.getClassLoader()
                .getResourceAsStream("tomcat-conf/app/conf/Catalina/localhost/manager.xml")) {
            element = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in)
                    .getElementsByTagName("Valve").item(0);
        }
        assertEquals(RemoteAddrValve.class.getName(), element.getAttribute("className"));
        RemoteAddrValve valve = new RemoteAddrValve();
        valve.setUsePeerAddress(Boolean.parseBoolean(element.getAttribute("usePeerAddress")));
        valve.setAddConnectorPort(Boolean.parseBoolean(element.getAttribute("addConnectorPort")));
        valve.setAllow(resolve(element.getAttribute("allow"), env));
        valve.setDeny(resolve(element.getAttribute("deny"), env));
        return valve;
    }

    private static String resolve(String value, Map<String, String> env) {
        return IntrospectionUtils.replaceProperties(value, new Hashtable<>(),
                new IntrospectionUtils.PropertySource[] {env::get}, null);
    }

    @Test
    void theValveReadsTheConnectionsOwnAddress_andTheConnectorsPort() throws Exception {
        RemoteAddrValve valve = valve(INSTANCE);

        assertTrue(valve.getUsePeerAddress(), "not the address RemoteIpValve takes from X-Forwarded-For");
        assertTrue(valve.getAddConnectorPort());
    }

    @Test
    void aLoopbackClient_onTheManagersPort_isAllowed() throws Exception {
        RemoteAddrValve valve = valve(INSTANCE);

        assertTrue(valve.isAllowed("127.0.0.1;5100"));
        assertTrue(valve.isAllowed("127.0.0.3;5100"));
        assertTrue(valve.isAllowed("0:0:0:0:0:0:0:1;5100"));
    }

    @Test
    void theAppPort_isRefused_evenFromLoopback() throws Exception {
        assertFalse(valve(INSTANCE).isAllowed("127.0.0.1;5000"));
    }

    @Test
    void theWebTiersAddress_isRefused_onEveryPort() throws Exception {
        RemoteAddrValve valve = valve(INSTANCE);

        assertFalse(valve.isAllowed("127.0.0.2;5000"));
        assertFalse(valve.isAllowed("127.0.0.2;5100"));
    }

    @Test
    void anotherMachine_isRefused() throws Exception {
        assertFalse(valve(INSTANCE).isAllowed("192.168.1.7;5100"));
        assertFalse(valve(INSTANCE).isAllowed("127.0.0.1.evil;5100"));
    }

    @Test
    void withoutTheLaunchersVariables_theDefaultsSayTheSame() throws Exception {
        RemoteAddrValve valve = valve(Map.of());

        assertTrue(valve.isAllowed("127.0.0.1;5100"));
        assertFalse(valve.isAllowed("127.0.0.1;5000"));
        assertFalse(valve.isAllowed("127.0.0.2;5100"));
    }
}
