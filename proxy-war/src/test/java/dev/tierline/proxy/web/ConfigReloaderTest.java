package dev.tierline.proxy.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.proxy.config.ConfigFile;
import dev.tierline.proxy.route.Router;
import dev.tierline.proxy.route.RouterFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloaderTest {

    private static String config(String path) {
        return "{\"routes\": [{\"path\": \"" + path + "\", \"cluster\": \"app\"}],"
                + " \"clusters\": {\"app\": {\"backends\": [{\"url\": \"http://127.0.0.1:1\"}]}}}";
    }

    @Test
    void aChangedFile_swapsTheRoutes_anInvalidOneKeepsThem_andAnUnchangedOneDoesNothing(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("tierline.json");
        Files.writeString(file, config("/a"));
        RouterFactory routers = new RouterFactory(System::nanoTime);
        AtomicReference<Router> router = new AtomicReference<>(routers.build(ConfigFile.read(file)));
        java.util.List<Router> told = new java.util.ArrayList<>();
        try (ConfigReloader reloader = new ConfigReloader(file, routers, router,
                (config, next) -> told.add(next))) {
            assertFalse(reloader.reloadIfChanged(), "nothing changed");

            Files.writeString(file, config("/b"));
            assertTrue(reloader.reloadIfChanged());
            assertEquals("/b", router.get().routes().get(0).pathPrefix());

            Router running = router.get();
            Files.writeString(file, config("no-slash"));
            assertFalse(reloader.reloadIfChanged(), "an invalid file is not applied");
            assertSame(running, router.get());

            Files.delete(file);
            assertFalse(reloader.reloadIfChanged(), "nor is a missing one");
            assertSame(running, router.get());

            Files.writeString(file, config("/c"));
            assertTrue(reloader.reloadIfChanged(), "a valid file applies again");
            assertEquals("/c", router.get().routes().get(0).pathPrefix());
            assertEquals(java.util.List.of(router.get()), told.subList(1, 2), "and the new router is told of");

            assertEquals("reloaded from " + file, reloader.reloadNow(), "on demand, unchanged or not");
            assertEquals(3, told.size());
            Files.writeString(file, config("x"));
            assertTrue(reloader.reloadNow().startsWith("not reloaded, the running configuration stays: " + file
                    + ": routes[0].path: "), "on demand, an invalid file says why");
        }
    }
}
