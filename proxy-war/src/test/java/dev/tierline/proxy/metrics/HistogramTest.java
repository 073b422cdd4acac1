package dev.tierline.proxy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void bounds_growByHalf_from250Microseconds_to60Seconds() {
        double[] bounds = Histogram.bounds();
        assertEquals(0.00025, bounds[0]);
        assertEquals(0.000375, bounds[1]);
        assertEquals(60, bounds[bounds.length - 1]);
        for (int i = 1; i < bounds.length; i++) {
            assertTrue(bounds[i] > bounds[i - 1], "ascending at " + i);
        }
    }

    @Test
    void aDuration_fallsInTheFirstBucketWhoseBoundIsNotBelowIt() {
        assertEquals(0, Histogram.bucket(Duration.ofNanos(1).toNanos()));
        assertEquals(0, Histogram.bucket(250_000));
        assertEquals(1, Histogram.bucket(250_001));
        assertEquals(Histogram.BOUNDS.length, Histogram.bucket(Duration.ofMinutes(5).toNanos()), "past 60 s");
    }

    @Test
    void percentiles_comeWithinTheirBucket() {
        Histogram histogram = new Histogram();
        for (int i = 0; i < 99; i++) {
            histogram.record(Duration.ofMillis(2).toNanos());
        }
        histogram.record(Duration.ofMillis(400).toNanos());
        Histogram.Snapshot snapshot = histogram.snapshot();

        assertEquals(100, snapshot.count());
        double p50 = snapshot.percentile(0.5);
        assertTrue(p50 > 0.0013 && p50 <= 0.0029, String.valueOf(p50));
        double p99 = snapshot.percentile(0.99);
        assertTrue(p99 <= 0.0029, "99 of 100 took 2 ms: " + p99);
        double max = snapshot.percentile(1.0);
        assertTrue(max > 0.27 && max <= 0.6, String.valueOf(max));
        assertEquals(0.598, snapshot.sumSeconds(), 1e-9);
        assertEquals(0, Histogram.Snapshot.EMPTY.percentile(0.99));
    }

    @Test
    void snapshots_addUp() {
        Histogram one = new Histogram();
        Histogram other = new Histogram();
        one.record(1_000_000);
        other.record(1_000_000);
        other.record(3_000_000_000L);

        Histogram.Snapshot sum = one.snapshot().plus(other.snapshot());

        assertEquals(3, sum.count());
        assertEquals(3.002, sum.sumSeconds(), 1e-9);
    }
}
