package dev.tierline.proxy.web;

import dev.tierline.proxy.config.ConfigFile;
import dev.tierline.proxy.config.InvalidSettingsException;
import dev.tierline.proxy.route.Router;
import dev.tierline.proxy.route.RouterFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * Watches the configuration file and, when its content changes, swaps in the routes and clusters it now
 * describes, all at once. Requests already routed finish with what they started with; backends keep their
 * state across the swap ({@link RouterFactory}). A file that does not validate changes nothing: its errors
 * are logged and the running configuration stays.
 */
final class ConfigReloader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConfigReloader.class.getName());
    /** How often the file is read: a small file, so reading beats trusting modification times. */
    static final Duration INTERVAL = Duration.ofSeconds(2);

    private final Path file;
    private final RouterFactory routers;
    private final AtomicReference<Router> router;
    private final BiConsumer<ConfigFile.Config, Router> reloaded;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tierline-config-reloader");
        thread.setDaemon(true);
        return thread;
    });
    private byte[] seen;

    /** @param reloaded told of each new configuration and its router once they have taken over */
    ConfigReloader(Path file, RouterFactory routers, AtomicReference<Router> router,
            BiConsumer<ConfigFile.Config, Router> reloaded) {
        this.file = file;
        this.routers = routers;
        this.router = router;
        this.reloaded = reloaded;
        this.seen = read();
    }

    Path file() {
        return file;
    }

    void start(Duration interval) {
        timer.scheduleWithFixedDelay(this::reloadIfChanged, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Reloads when the file's content differs from the last one seen; true when new routes took over. */
    synchronized boolean reloadIfChanged() {
        byte[] content = read();
        if (content == null || Arrays.equals(content, seen)) {
            return false;
        }
        seen = content;
        return apply() == null;
    }

    /** Reloads now, whether or not the file changed (on demand); returns what happened, in one line. */
    synchronized String reloadNow() {
        byte[] content = read();
        if (content == null) {
            return "not reloaded: " + file + " cannot be read; the running configuration stays";
        }
        seen = content;
        String errors = apply();
        return errors == null ? "reloaded from " + file : "not reloaded, the running configuration stays: " + errors;
    }

    /** Reads, validates and swaps in the file's configuration; returns null, or the errors that kept it out. */
    private String apply() {
        try {
            ConfigFile.Config config = ConfigFile.read(file);
            Router next = routers.build(config);
            router.set(next);
            reloaded.accept(config, next);
            LOG.info("Configuration reloaded from " + file + ": " + ProxyBootstrap.describe(config));
            return null;
        } catch (InvalidSettingsException e) {
            String errors = String.join("; ", e.errors());
            LOG.severe("Configuration in " + file + " not reloaded, the running one stays: " + errors);
            return errors;
        } catch (RuntimeException e) {
            LOG.severe("Configuration in " + file + " not reloaded, the running one stays: " + e);
            return e.toString();
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            LOG.warning("Configuration file " + file + " cannot be read: " + e);
            return null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
