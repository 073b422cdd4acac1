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

    private static tools.jackson.databind.node.ObjectNode backend(String id, String url) {
        return tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("id", id).put("url", url);
    }

    @Test
    void aRewrite_writesTheFileAtomically_andPutsItInPlace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tierline.json");
        Files.writeString(file, config("/a"));
        List<Config> told = new ArrayList<>();
        try (ConfigReloader reloader = new ConfigReloader(file, ConfigFile.read(file), told::add)) {
            Config added = reloader.rewrite(ConfigEdits.addBackend("app", backend("two", "http://127.0.0.1:2")));

            assertEquals(List.of(added), told);
            assertSame(added, reloader.running());
            assertEquals(List.of("http://127.0.0.1:1", "two"), added.clusters().get("app").backends().stream()
                    .map(b -> b.backend().id().equals("two") ? "two" : b.backend().origin()).toList());
            assertEquals(added.clusters().get("app").backends(), ConfigFile.read(file).clusters().get("app").backends(),
                    "the file says the same, so a restart keeps it");
            try (var files = Files.list(dir)) {
                assertEquals(List.of(file), files.toList(), "no temporary file is left beside it");
            }
            assertFalse(reloader.reloadIfChanged(), "its own writing is not taken for a change");

            reloader.rewrite(ConfigEdits.removeBackend("app", 1));
            assertEquals(1, ConfigFile.read(file).clusters().get("app").backends().size());
        }
    }

    @Test
    void aRewrite_changesNothing_whenTheFileChangedOnDisk_orTheResultIsInvalid_orCannotBePutInPlace(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("tierline.json");
        Files.writeString(file, config("/a"));
        AtomicReference<Boolean> refuse = new AtomicReference<>(false);
        List<Config> told = new ArrayList<>();
        try (ConfigReloader reloader = new ConfigReloader(file, ConfigFile.read(file), next -> {
            if (refuse.get()) {
                throw new IllegalStateException("no");
            }
            told.add(next);
        })) {
            Config running = reloader.running();

            String edited = config("/edited-by-hand");
            Files.writeString(file, edited);
            org.junit.jupiter.api.Assertions.assertThrows(ConfigReloader.ChangedOnDisk.class,
                    () -> reloader.rewrite(ConfigEdits.addBackend("app", backend("two", "http://127.0.0.1:2"))));
            assertEquals(edited, Files.readString(file));

            assertTrue(reloader.reloadIfChanged());
            String reloaded = Files.readString(file);
            InvalidSettingsException invalid = org.junit.jupiter.api.Assertions.assertThrows(
                    InvalidSettingsException.class, () -> reloader.rewrite(ConfigEdits.addBackend("app",
                            backend("two", "ftp://127.0.0.1:2"))));
            assertEquals(List.of(file + ": clusters.app.backends[1].url: not an absolute http(s) URL:"
                    + " 'ftp://127.0.0.1:2'"), invalid.errors());
            assertEquals(reloaded, Files.readString(file));

            refuse.set(true);
            Config before = reloader.running();
            org.junit.jupiter.api.Assertions.assertThrows(InvalidSettingsException.class,
                    () -> reloader.rewrite(ConfigEdits.addBackend("app", backend("two", "http://127.0.0.1:2"))));
            assertEquals(reloaded, Files.readString(file), "what cannot be put in place is not written");
            assertSame(before, reloader.running());
            assertEquals(1, told.size(), "only the hand edit was put in place");
            assertFalse(running == reloader.running());
        }
    }
}
