package dev.tierline.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        AtomicReference<Config> running = new AtomicReference<>(ConfigFile.read(file));
        List<Config> told = new ArrayList<>();
        try (ConfigReloader reloader = new ConfigReloader(file, running.get(), next -> {
            running.set(next);
            told.add(next);
        })) {
            assertFalse(reloader.reloadIfChanged(), "nothing changed");

            Files.writeString(file, config("/b"));
            assertTrue(reloader.reloadIfChanged());
            assertEquals("/b", running.get().routes().get(0).path());

            Config kept = running.get();
            Files.writeString(file, config("no-slash"));
            assertFalse(reloader.reloadIfChanged(), "an invalid file is not applied");
            assertSame(kept, running.get());

            Files.delete(file);
            assertFalse(reloader.reloadIfChanged(), "nor is a missing one");
            assertSame(kept, running.get());

            Files.writeString(file, config("/c"));
            assertTrue(reloader.reloadIfChanged(), "a valid file applies again");
            assertEquals("/c", running.get().routes().get(0).path());
            assertEquals(List.of(running.get()), told.subList(1, 2), "and the new configuration is told of");

            assertEquals("reloaded from " + file, reloader.reloadNow(), "on demand, unchanged or not");
            assertEquals(3, told.size());
            Files.writeString(file, config("x"));
            assertTrue(reloader.reloadNow().startsWith("not reloaded, the running configuration stays: " + file
                    + ": routes[0].path: "), "on demand, an invalid file says why");
        }
    }

    @Test
    void aConfigurationThatCannotBePutInPlace_keepsTheRunningOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tierline.json");
        Files.writeString(file, config("/a"));
        try (ConfigReloader reloader = new ConfigReloader(file, ConfigFile.read(file), next -> {
            throw new IllegalStateException("cannot build " + next.routes().get(0).path());
        })) {
            Files.writeString(file, config("/b"));

            assertFalse(reloader.reloadIfChanged());
            assertEquals("not reloaded, the running configuration stays: java.lang.IllegalStateException: cannot"
                    + " build /b", reloader.reloadNow());
        }
    }
}
