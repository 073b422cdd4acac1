package dev.tierline.proxy.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration file: the web tier's routes and clusters as JSON, validated as a whole ({@link ConfigParser}),
 * every problem reported at once, each with the JSON path it is about ({@code clusters.app.backends[1].url: ...}).
 *
 * <pre>{@code
 * {
 *   "routes": [
 *     {"id": "api", "path": "/", "host": "example.com", "cluster": "app",
 *      "timeouts": {"connect": "PT2S", "response": "PT30S"},
 *      "maxBodyBytes": 10485760,
 *      "headers": {"forwarded": "set", "trustedProxies": [], "preserveHost": false},
 *      "idempotencyKeyRetries": false, "retryMethods": ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]}
 *   ],
 *   "clusters": {
 *     "app": {
 *       "backends": [{"id": "app-5000", "url": "http://127.0.0.1:5000", "weight": 1, "state": "enabled",
 *                     "route": "app-5000"}],
 *       "loadBalancing": "power-of-two-choices", "hashKey": "clientAddress", "idleTimeout": "PT10S",
 *       "affinity": {"mode": "none", "cookie": "TIERLINE_AFFINITY", "whenDown": "failover"},
 *       "health": {"consecutiveFailures": 3, "baseEjection": "PT5S", "maxEjection": "PT5M",
 *                  "slowStart": "PT30S", "panic": false,
 *                  "failureRate": 0, "failureRateWindow": "PT10S", "failureRateMinimum": 20,
 *                  "probe": {"path": "/health", "interval": "PT1S", "timeout": "PT1S",
 *                            "healthyThreshold": 2, "unhealthyThreshold": 2}},
 *       "retries": {"maxAttempts": 2, "budget": 0.2}
 *     }
 *   }
 * }
 * }</pre>
 *
 * Only {@code routes[].path}, {@code routes[].cluster}, {@code clusters} and each backend's {@code url} are
 * required; everything else has the default shown. Unknown fields are errors, so a misspelt one is not
 * silently ignored.
 */
public final class ConfigFile {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ConfigFile() {
    }

    /** Reads and validates {@code file}; every error names the file. */
    public static Config read(Path file) throws InvalidSettingsException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidSettingsException(List.of(file + ": cannot be read (" + e + ")"));
        }
        return parse(file, text);
    }

    /** Parses and validates {@code text}, read from {@code file}; every error names the file. */
    static Config parse(Path file, String text) throws InvalidSettingsException {
        try {
            return parse(text);
        } catch (InvalidSettingsException e) {
            throw new InvalidSettingsException(e.errors().stream().map(error -> file + ": " + error).toList());
        }
    }

    /** Parses and validates a configuration. */
    public static Config parse(String json) throws InvalidSettingsException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidSettingsException(List.of("not valid JSON: " + e.getOriginalMessage()
                    + location(e)));
        }
        Fields fields = new Fields(Fields.Naming.JSON_PATH);
        Config config = new ConfigParser(fields).config(root);
        if (!fields.errors().isEmpty()) {
            throw new InvalidSettingsException(fields.errors());
        }
        return config;
    }

    private static String location(JacksonException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
