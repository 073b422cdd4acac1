package dev.tierline.proxy.metrics;

import dev.tierline.proxy.forward.ForwardOutcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * What one backend's attempts came to: how many, how each ended, and how long they took (from the choice of
 * the backend to the end of its response), in all and second by second over the last five minutes, for
 * percentiles over the last minute and a history to draw.
 */
public final class BackendStats {

    /** Seconds kept second by second. */
    static final int SECONDS = 300;

    private final LongSupplier millis;
    private final AtomicLongArray outcomes = new AtomicLongArray(ForwardOutcome.values().length);
    private final Histogram total = new Histogram();
    private final Second[] seconds = new Second[SECONDS];

    /** @param millis the wall clock in milliseconds, {@link System#currentTimeMillis()} but in tests */
    public BackendStats(LongSupplier millis) {
        this.millis = millis;
        for (int i = 0; i < SECONDS; i++) {
            seconds[i] = new Second();
        }
    }

    /** One attempt ended as {@code outcome} after {@code nanos}. */
    public void record(ForwardOutcome outcome, long nanos) {
        outcomes.incrementAndGet(outcome.ordinal());
        int bucket = Histogram.bucket(nanos);
        total.record(bucket, nanos);
        second(millis.getAsLong() / 1000).durations.record(bucket, nanos);
    }

    /** Attempts so far. */
    public long requests() {
        long sum = 0;
        for (int i = 0; i < outcomes.length(); i++) {
            sum += outcomes.get(i);
        }
        return sum;
    }

    /** Attempts so far by how they ended; outcomes that never happened are left out. */
    public Map<ForwardOutcome, Long> outcomes() {
        Map<ForwardOutcome, Long> counts = new EnumMap<>(ForwardOutcome.class);
        for (ForwardOutcome outcome : ForwardOutcome.values()) {
            long count = outcomes.get(outcome.ordinal());
            if (count > 0) {
                counts.put(outcome, count);
            }
        }
        return counts;
    }

    /** Every attempt's duration so far. */
    public Histogram.Snapshot durations() {
        return total.snapshot();
    }

    /** The durations of the attempts that ended in the last {@code count} whole seconds (up to five minutes). */
    public Histogram.Snapshot lastSeconds(int count) {
        long now = millis.getAsLong() / 1000;
        return between(now - Math.min(count, SECONDS - 1), now);
    }

    /**
     * The last {@code points} stretches of {@code step} seconds each, oldest first, the one under way left out:
     * requests per second and the 99th percentile in seconds of each.
     */
    public List<Point> history(int points, int step) {
        long now = millis.getAsLong() / 1000;
        int count = Math.min(points, (SECONDS - 1) / step);
        List<Point> history = new ArrayList<>(count);
        for (int point = count; point > 0; point--) {
            long start = now - (long) point * step;
            Histogram.Snapshot sum = between(start, start + step);
            history.add(new Point(start, (double) sum.count() / step, sum.percentile(0.99)));
        }
        return history;
    }

    /** The durations of the attempts that ended from second {@code from} up to, not including, {@code to}. */
    private Histogram.Snapshot between(long from, long to) {
        Histogram.Snapshot sum = Histogram.Snapshot.EMPTY;
        for (long second = from; second < to; second++) {
            Second slot = seconds[index(second)];
            if (slot.second == second) {
                sum = sum.plus(slot.durations.snapshot());
            }
        }
        return sum;
    }

    /** One stretch of the history. */
    public record Point(long epochSecond, double requestsPerSecond, double p99Seconds) {
    }

    private static int index(long second) {
        return (int) Math.floorMod(second, (long) SECONDS);
    }

    /** The slot of {@code second}, emptied first when it still holds a second five minutes older. */
    private Second second(long second) {
        Second slot = seconds[index(second)];
        if (slot.second != second) {
            synchronized (slot) {
                if (slot.second != second) {
                    slot.durations.clear();
                    slot.second = second;
                }
            }
        }
        return slot;
    }

    private static final class Second {
        volatile long second = Long.MIN_VALUE;
        final Histogram durations = new Histogram();
    }
}
