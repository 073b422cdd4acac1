package dev.tierline.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.Test;

class PooledConnectionsTest {

    private static Duration idleOf(PooledConnections connections, String host, int port) {
        return Duration.ofMillis(connections.idleMillis(new HttpHost("http", host, port)));
    }

    @Test
    void eachBackend_getsItsOwnIdleTimeout_andOthersTheDefault() {
        PooledConnections connections = new PooledConnections(Duration.ofSeconds(10));
        connections.useIdleTimeouts(Map.of("http://127.0.0.1:5000", Duration.ofSeconds(3),
                "http://[::1]:5002", Duration.ofSeconds(40)));

        assertEquals(Duration.ofSeconds(3), idleOf(connections, "127.0.0.1", 5000));
        assertEquals(Duration.ofSeconds(40), idleOf(connections, "::1", 5002));
        assertEquals(Duration.ofSeconds(10), idleOf(connections, "127.0.0.1", 5004));
    }

    @Test
    void aReload_replacesEveryBackendsIdleTimeout() {
        PooledConnections connections = new PooledConnections(Duration.ofSeconds(10));
        connections.useIdleTimeouts(Map.of("http://127.0.0.1:5000", Duration.ofSeconds(3)));
        assertEquals(Duration.ofSeconds(3), idleOf(connections, "127.0.0.1", 5000));

        connections.useIdleTimeouts(Map.of("http://127.0.0.1:5000", Duration.ofSeconds(7)));

        assertEquals(Duration.ofSeconds(7), idleOf(connections, "127.0.0.1", 5000));
    }
}
