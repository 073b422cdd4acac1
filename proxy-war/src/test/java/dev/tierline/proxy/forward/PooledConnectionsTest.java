package dev.tierline.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tierline.proxy.config.ForwardedMode;
import dev.tierline.proxy.config.RouteSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;

class PooledConnectionsTest {

    private static final RouteSettings ROUTE = new RouteSettings(Duration.ofSeconds(2), Duration.ofSeconds(30),
            RouteSettings.UNLIMITED, ForwardedMode.SET, List.of(), false, false, RouteSettings.IDEMPOTENT_METHODS);

    private static Timeout idleOf(PooledConnections connections, String host, int port) {
        return connections.of(new HttpRoute(new HttpHost("http", host, port))).getIdleTimeout();
    }

    @Test
    void eachBackend_getsItsOwnIdleTimeout_andOthersTheDefault() {
        PooledConnections connections = new PooledConnections(ROUTE, Duration.ofSeconds(10));
        connections.useIdleTimeouts(Map.of("http://127.0.0.1:5000", Duration.ofSeconds(3),
                "http://[::1]:5002", Duration.ofSeconds(40)));

        assertEquals(Timeout.ofSeconds(3), idleOf(connections, "127.0.0.1", 5000));
        assertEquals(Timeout.ofSeconds(40), idleOf(connections, "::1", 5002));
        assertEquals(Timeout.ofSeconds(10), idleOf(connections, "127.0.0.1", 5004));
    }

    @Test
    void aReload_replacesEveryBackendsIdleTimeout() {
        PooledConnections connections = new PooledConnections(ROUTE, Duration.ofSeconds(10));
        connections.useIdleTimeouts(Map.of("http://127.0.0.1:5000", Duration.ofSeconds(3)));
        assertEquals(Timeout.ofSeconds(3), idleOf(connections, "127.0.0.1", 5000));

        connections.useIdleTimeouts(Map.of("http://127.0.0.1:5000", Duration.ofSeconds(7)));

        assertEquals(Timeout.ofSeconds(7), idleOf(connections, "127.0.0.1", 5000));
    }
}
