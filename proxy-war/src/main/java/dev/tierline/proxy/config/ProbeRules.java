package dev.tierline.proxy.config;

import java.time.Duration;

/**
 * A cluster's active health check: a GET of {@code path} on each backend every {@code interval}, a success
 * being any 2xx or 3xx answer within {@code timeout}. A backend is taken out after {@code unhealthyThreshold}
 * failed probes in a row, and put back, with slow start, after {@code healthyThreshold} good ones in a row.
 */
public record ProbeRules(String path, Duration interval, Duration timeout, int healthyThreshold,
        int unhealthyThreshold) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_HEALTHY = 2;
    public static final int DEFAULT_UNHEALTHY = 2;

    /** Probes of {@code path} with the default interval, timeout and thresholds. */
    public static ProbeRules of(String path) {
        return new ProbeRules(path, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_HEALTHY, DEFAULT_UNHEALTHY);
    }
}
