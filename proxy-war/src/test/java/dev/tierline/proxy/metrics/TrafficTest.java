package dev.tierline.proxy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficTest {

    @Test
    void requests_areCountedByRouteBackendAndStatusClass() {
        Traffic traffic = new Traffic();
        traffic.record("all", "a", 200);
        traffic.record("all", "a", 204);
        traffic.record("all", "a", 499);
        traffic.record("all", "b", 503);
        traffic.record(null, null, 404);
        traffic.record("all", "a", 700);

        assertEquals(Map.of(
                new Traffic.Key("all", "a", "2xx"), 2L,
                new Traffic.Key("all", "a", "4xx"), 1L,
                new Traffic.Key("all", "a", "other"), 1L,
                new Traffic.Key("all", "b", "5xx"), 1L,
                new Traffic.Key("-", "-", "4xx"), 1L), traffic.counts());
    }
}
