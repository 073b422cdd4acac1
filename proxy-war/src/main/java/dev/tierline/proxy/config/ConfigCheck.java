package dev.tierline.proxy.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Validates a configuration file without starting anything, like {@code nginx -t}: {@code tierline check
 * FILE} runs it from the web tier's WAR.
 */
public final class ConfigCheck {

    private ConfigCheck() {
    }

    /** Every problem with {@code file}, each on one line naming the file and the JSON path; none when valid. */
    public static List<String> check(Path file) {
        try {
            ConfigFile.read(file);
            return List.of();
        } catch (InvalidSettingsException e) {
            return e.errors();
        }
    }
}
