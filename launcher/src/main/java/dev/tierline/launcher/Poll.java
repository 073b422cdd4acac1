package dev.tierline.launcher;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for something that another process makes true, bounded both in time and in tries. */
final class Poll {

    private Poll() {
    }

    /**
     * Checks {@code condition} every {@code interval} until it holds: for at most {@code timeout}, and at most as
     * many times as intervals fit in it (plus one). Returns whether it held.
     */
    static boolean until(Duration timeout, Duration interval, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long tries = timeout.toMillis() / Math.max(1, interval.toMillis()) + 1;
        for (long i = 0; i < tries; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LauncherException("interrupted", e);
            }
        }
        return false;
    }
}
