package dev.tierline.proxy.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latency counted in fixed buckets, so that recording is a few atomic increments and windows can be added
 * up: each bucket's upper bound is about 1.5 times the one before, from 0.25 ms to 60 s, which keeps a
 * percentile read from them within a third of the true value. The same bounds are the Prometheus
 * histogram's {@code le} labels.
 */
public final class Histogram {

    /** Upper bounds of the buckets, in seconds; a last, unbounded bucket holds anything slower. */
    static final double[] BOUNDS = makeBounds();

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS.length + 1);
    private final AtomicLong sumNanos = new AtomicLong();

    private static double[] makeBounds() {
        double[] bounds = new double[30];
        double bound = 0.00025;
        for (int i = 0; i < bounds.length; i++) {
            // Rounded to three significant digits, so that labels read as 0.00025, 0.000375, ...
            bounds[i] = Double.parseDouble(String.format(Locale.ROOT, "%.3g", bound));
            bound *= 1.5;
        }
        bounds[bounds.length - 1] = 60;
        return bounds;
    }

    /** The upper bounds, in seconds, of every bucket but the last, unbounded one. */
    public static double[] bounds() {
        return BOUNDS.clone();
    }

    /** The bucket a duration falls in. */
    static int bucket(long nanos) {
        double seconds = nanos / 1e9;
        int index = Arrays.binarySearch(BOUNDS, seconds);
        return index >= 0 ? index : -index - 1;
    }

    public void record(long nanos) {
        record(bucket(nanos), nanos);
    }

    /** Records a duration whose {@link #bucket(long)} the caller found already. */
    void record(int bucket, long nanos) {
        counts.incrementAndGet(bucket);
        sumNanos.addAndGet(nanos);
    }

    void clear() {
        for (int i = 0; i < counts.length(); i++) {
            counts.set(i, 0);
        }
        sumNanos.set(0);
    }

    /** What has been counted so far. */
    public Snapshot snapshot() {
        long[] copy = new long[counts.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = counts.get(i);
        }
        return new Snapshot(copy, sumNanos.get());
    }

    /** Counts per bucket at one moment; snapshots of different windows add up. */
    public record Snapshot(long[] counts, long sumNanos) {

        public static final Snapshot EMPTY = new Snapshot(new long[BOUNDS.length + 1], 0);

        public long count() {
            long total = 0;
            for (long count : counts) {
                total += count;
            }
            return total;
        }

        public double sumSeconds() {
            return sumNanos / 1e9;
        }

        public Snapshot plus(Snapshot other) {
            long[] sum = counts.clone();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += other.counts[i];
            }
            return new Snapshot(sum, sumNanos + other.sumNanos);
        }

        /**
         * The duration, in seconds, below which a share {@code q} of the counted ones fall, interpolated within
         * its bucket; 0 when nothing was counted, and the last bound when it falls in the unbounded bucket.
         */
        public double percentile(double q) {
            long total = count();
            if (total == 0) {
                return 0;
            }
            double rank = q * total;
            long below = 0;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0 && below + counts[i] >= rank) {
                    if (i == BOUNDS.length) {
                        return BOUNDS[BOUNDS.length - 1];
                    }
                    double lower = i == 0 ? 0 : BOUNDS[i - 1];
                    double within = (rank - below) / counts[i];
                    return lower + (BOUNDS[i] - lower) * within;
                }
                below += counts[i];
            }
            return BOUNDS[BOUNDS.length - 1];
        }
    }
}
