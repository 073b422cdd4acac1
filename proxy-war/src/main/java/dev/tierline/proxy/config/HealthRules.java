package dev.tierline.proxy.config;

import java.time.Duration;

/**
 * A cluster's passive health rules and what follows an ejection.
 *
 * @param consecutiveFailures failed attempts in a row that eject a backend
 * @param baseEjection how long the first ejection lasts; each one in a row lasts twice the one before
 * @param maxEjection the longest an ejection lasts
 * @param slowStart how long a backend that came back takes to reach its full weight (zero: at once)
 * @param panic when every backend is out, try them all rather than answer 503 (Envoy's panic mode)
 * @param failureRate the share of failed attempts, within a window, that ejects a backend (0: none does)
 * @param failureRateWindow how long each window lasts
 * @param failureRateMinimum the attempts a window needs before its failure rate counts
 */
public record HealthRules(int consecutiveFailures, Duration baseEjection, Duration maxEjection, Duration slowStart,
        boolean panic, double failureRate, Duration failureRateWindow, int failureRateMinimum) {

    public static final HealthRules DEFAULT =
            new HealthRules(3, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(30), false);

    /** Rules that eject on consecutive failures only. */
    public HealthRules(int consecutiveFailures, Duration baseEjection, Duration maxEjection, Duration slowStart,
            boolean panic) {
        this(consecutiveFailures, baseEjection, maxEjection, slowStart, panic, 0, Duration.ofSeconds(10), 20);
    }

    /** How long the ejection after {@code previous} ejections in a row lasts. */
    public Duration ejectionPeriod(int previous) {
        Duration period = baseEjection;
        for (int i = 0; i < previous && period.compareTo(maxEjection) < 0; i++) {
            period = period.multipliedBy(2);
        }
        return period.compareTo(maxEjection) > 0 ? maxEjection : period;
    }
}
