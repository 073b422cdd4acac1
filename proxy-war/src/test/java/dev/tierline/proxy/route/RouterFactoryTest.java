package dev.tierline.proxy.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.proxy.balance.BackendState;
import dev.tierline.proxy.config.AdminState;
import dev.tierline.proxy.config.Config;
import dev.tierline.proxy.config.ConfigFile;
import dev.tierline.proxy.forward.BackendChoice;
import dev.tierline.proxy.forward.ForwardOutcome;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RouterFactoryTest {

    private final AtomicLong clock = new AtomicLong(1);
    private final RouterFactory factory = new RouterFactory(clock::get);

    private static Config config(String backends) throws Exception {
        return ConfigFile.parse("""
                {"routes": [{"path": "/", "cluster": "app"},
                            {"path": "/admin", "host": "admin.example", "cluster": "app", "maxBodyBytes": 10}],
                 "clusters": {"app": {"backends": [%s], "loadBalancing": "round-robin",
                                      "health": {"consecutiveFailures": 1}}}}
                """.formatted(backends));
    }

    private static BackendState member(Router router, String id) {
        return router.match("/").orElseThrow().cluster().members().stream()
                .filter(m -> m.backend().id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void routes_matchTheirHostFirst_thenAnyHost() throws Exception {
        Router router = factory.build(config("{\"url\": \"http://127.0.0.1:1\"}"));

        assertEquals("/admin", router.match("admin.example", "/admin/x").orElseThrow().pathPrefix());
        assertEquals(10, router.match("ADMIN.example", "/admin").orElseThrow().settings().maxBodyBytes());
        assertEquals("/", router.match("other.example", "/admin/x").orElseThrow().pathPrefix());
    }

    @Test
    void aReload_keepsTheStateOfBackendsWhoseIdStays_andStartsNewOnesAfresh() throws Exception {
        Router first = factory.build(config("{\"id\": \"a\", \"url\": \"http://127.0.0.1:1\"},"
                + "{\"id\": \"b\", \"url\": \"http://127.0.0.1:2\"}"));
        BackendState a = member(first, "a");
        BackendChoice inFlight = first.match("/").orElseThrow().cluster().choose("k").orElseThrow();
        // One failure ejects under these rules; fail a until it is out.
        for (int i = 0; i < 10 && !a.health().isEjected(); i++) {
            BackendChoice choice = first.match("/").orElseThrow().cluster().choose("k").orElseThrow();
            choice.ended(choice.backend().id().equals("a") ? ForwardOutcome.CONNECT_REFUSED : ForwardOutcome.COMPLETED);
        }
        assertTrue(a.health().isEjected());

        Router second = factory.build(config("{\"id\": \"a\", \"url\": \"http://127.0.0.1:1\", \"weight\": 5},"
                + "{\"id\": \"c\", \"url\": \"http://127.0.0.1:3\", \"state\": \"draining\"}"));

        assertSame(a, member(second, "a"), "a kept its state");
        assertTrue(member(second, "a").health().isEjected(), "and so is still ejected");
        assertEquals(AdminState.DRAINING, member(second, "c").adminState());
        assertFalse(member(second, "c").health().isEjected());
        assertEquals(2, second.match("/").orElseThrow().cluster().members().size(), "b is gone");
        assertNotSame(first.match("/").orElseThrow().cluster(), second.match("/").orElseThrow().cluster());
        inFlight.ended(ForwardOutcome.COMPLETED);
    }

    @Test
    void aBackendWhoseUrlChanged_startsAfresh() throws Exception {
        Router first = factory.build(config("{\"id\": \"a\", \"url\": \"http://127.0.0.1:1\"}"));
        Router second = factory.build(config("{\"id\": \"a\", \"url\": \"http://127.0.0.1:9\"}"));

        assertNotSame(member(first, "a"), member(second, "a"));
        assertEquals(9, member(second, "a").backend().port());
    }
}
