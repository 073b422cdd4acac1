package dev.tierline.proxy.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Watches the configuration file and, when its content changes, hands the configuration it now describes,
 * whole and validated, to whoever puts it in place. A file that does not validate, or that cannot be put in
 * place, changes nothing: its errors are logged and the running configuration stays.
 */
public final class ConfigReloader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConfigReloader.class.getName());
    /** How often the file is read: a small file, so reading beats trusting modification times. */
    public static final Duration INTERVAL = Duration.ofSeconds(2);

    private final Path file;
    private final Consumer<Config> apply;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tierline-config-reloader");
        thread.setDaemon(true);
        return thread;
    });
    private byte[] seen;

    /**
     * @param apply puts a new, valid configuration in place, all at once; a runtime exception from it keeps the
     *     running configuration
     */
    public ConfigReloader(Path file, Consumer<Config> apply) {
        this.file = file;
        this.apply = apply;
        this.seen = read();
    }

    public Path file() {
        return file;
    }

    public void start(Duration interval) {
        timer.scheduleWithFixedDelay(this::reloadIfChanged, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Reloads when the file's content differs from the last one seen; true when new routes took over. */
    public synchronized boolean reloadIfChanged() {
        byte[] content = read();
        if (content == null || Arrays.equals(content, seen)) {
            return false;
        }
        seen = content;
        return apply() == null;
    }

    /** Reloads now, whether or not the file changed (on demand); returns what happened, in one line. */
    public synchronized String reloadNow() {
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
            Config config = ConfigFile.read(file);
            apply.accept(config);
            LOG.info("Configuration reloaded from " + file + ": " + config.describe());
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
