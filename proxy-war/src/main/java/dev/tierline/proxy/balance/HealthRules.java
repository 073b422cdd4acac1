package dev.tierline.proxy.balance;

import java.time.Duration;

/**
 * A cluster's passive health rules and what follows an ejection.
 *
 * @param consecutiveFailures failed attempts in a row that eject a backend
 * @param baseEjection how long the first ejection lasts; each one in a row lasts twice the one before
 * @param maxEjection the longest an ejection lasts
 * @param slowStart how long a backend that came back takes to reach its full weight (zero: at once)
 * @param panic when every backend is out, try them all rather than answer 503 (Envoy's panic mode)
 */
public record HealthRules(int consecutiveFailures, Duration baseEjection, Duration maxEjection, Duration slowStart,
        boolean panic) {

    public static final HealthRules DEFAULT =
            new HealthRules(3, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(30), false);

    /** How long the ejection after {@code previous} ejections in a row lasts. */
    Duration ejectionPeriod(int previous) {
        Duration period = baseEjection;
        for (int i = 0; i < previous && period.compareTo(maxEjection) < 0; i++) {
            period = period.multipliedBy(2);
        }
        return period.compareTo(maxEjection) > 0 ? maxEjection : period;
    }
}
