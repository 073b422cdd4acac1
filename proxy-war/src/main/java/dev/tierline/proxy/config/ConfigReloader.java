package dev.tierline.proxy.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import java.util.logging.Logger;

/**
 * Watches the configuration file and, when its content changes, hands the configuration it now describes,
 * whole and validated, to whoever puts it in place. A file that does not validate, or that cannot be put in
 * place, changes nothing: its errors are logged and the running configuration stays.
 */
public final class ConfigReloader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConfigReloader.class.getName());
    private static final JsonMapper JSON = JsonMapper.builder().build();
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
    /** The content the running configuration was read from; null until one was. */
    private byte[] applied;
    private Config running;

    /**
     * @param apply puts a new, valid configuration in place, all at once; a runtime exception from it keeps the
     *     running configuration
     */
    public ConfigReloader(Path file, Config running, Consumer<Config> apply) {
        this.file = file;
        this.apply = apply;
        this.seen = read();
        this.applied = seen;
        this.running = running;
    }

    /** The configuration in place now. */
    public synchronized Config running() {
        return running;
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

    /**
     * Changes the file as {@code change} says, when it still holds what the running configuration was read
     * from: the changed document is validated whole, written atomically (to a file beside it, then moved over
     * it, so a crash leaves the old file or the new one, never half of one) and put in place.
     *
     * @throws ChangedOnDisk when the file is not what the running configuration was read from; nothing is written
     * @throws InvalidSettingsException when the changed document is not a valid configuration; nothing is written
     */
    public synchronized Config rewrite(UnaryOperator<ObjectNode> change) throws ChangedOnDisk, InvalidSettingsException {
        byte[] content = read();
        if (content == null || !Arrays.equals(content, applied)) {
            throw new ChangedOnDisk(file + " changed since the running configuration was read from it; reload it"
                    + " first");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(content);
        } catch (JacksonException e) {
            throw new ChangedOnDisk(file + " is not the JSON the running configuration was read from");
        }
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(change.apply((ObjectNode) tree)) + "\n";
        Config config = ConfigFile.parse(file, text);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Path next;
        try {
            next = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".next");
            Files.write(next, bytes);
        } catch (IOException e) {
            throw new ChangedOnDisk(file + " cannot be written: " + e.getMessage());
        }
        Config previous = running;
        try {
            // In place first: a configuration that cannot be built is never written.
            apply.accept(config);
        } catch (RuntimeException e) {
            deleteQuietly(next);
            throw new InvalidSettingsException(java.util.List.of(file + ": cannot be put in place: " + e));
        }
        try {
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(next);
            apply.accept(previous);
            throw new ChangedOnDisk(file + " cannot be written: " + e.getMessage());
        }
        seen = bytes;
        applied = bytes;
        running = config;
        LOG.info("Configuration rewritten in " + file + " and put in place: " + config.describe());
        return config;
    }

    /** The file is not the one the running configuration was read from, or cannot be written. */
    public static final class ChangedOnDisk extends Exception {

        private static final long serialVersionUID = 1L;

        ChangedOnDisk(String message) {
            super(message);
        }
    }

    /** Reads, validates and swaps in the file's configuration; returns null, or the errors that kept it out. */
    private String apply() {
        try {
            byte[] content = seen;
            Config config = ConfigFile.parse(file, new String(content, StandardCharsets.UTF_8));
            apply.accept(config);
            applied = content;
            running = config;
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

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warning("Cannot delete " + path + ": " + e);
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
