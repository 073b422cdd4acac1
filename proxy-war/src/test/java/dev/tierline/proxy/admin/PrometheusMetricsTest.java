package dev.tierline.proxy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.proxy.config.ConfigFile;
import dev.tierline.proxy.forward.BackendChoice;
import dev.tierline.proxy.forward.ForwardOutcome;
import dev.tierline.proxy.forward.PoolUse;
import dev.tierline.proxy.metrics.Traffic;
import dev.tierline.proxy.route.Router;
import dev.tierline.proxy.route.RouterFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PrometheusMetricsTest {

    private static final Pattern SAMPLE = Pattern.compile("([a-z_]+)(\\{[^}]*})? (\\S+)");

    private final AtomicLong clock = new AtomicLong(1);

    private Router router() throws Exception {
        return new RouterFactory(clock::get).build(ConfigFile.parse("""
                {"routes": [{"id": "all", "path": "/", "cluster": "app"}],
                 "clusters": {"app": {"backends": [{"id": "a\\"1", "url": "http://127.0.0.1:1"},
                                                   {"id": "b", "url": "http://127.0.0.1:2", "state": "draining"}],
                                      "loadBalancing": "round-robin"}}}
                """));
    }

    private static List<String> samples(String text, String name) {
        List<String> found = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (sample.matches() && sample.group(1).equals(name)) {
                found.add((sample.group(2) == null ? "" : sample.group(2)) + " " + sample.group(3));
            }
        }
        return found;
    }

    @Test
    void everyLine_isAFamilyHeader_orASampleOfADeclaredFamily_withEscapedLabels() throws Exception {
        Router router = router();
        Traffic traffic = new Traffic();
        traffic.record("all", "a\"1", 200);
        traffic.record(null, null, 404);

        String text = PrometheusMetrics.exposition(router, traffic, Optional.of(new PoolUse(2, 3, 1, 100)));

        List<String> declared = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                declared.add(line.split(" ")[2]);
            } else if (!line.startsWith("# HELP ")) {
                Matcher sample = SAMPLE.matcher(line);
                assertTrue(sample.matches(), line);
                String family = sample.group(1).replaceAll("_(bucket|sum|count)$", "");
                assertTrue(declared.contains(family), "declared before its samples: " + line);
                Double.parseDouble(sample.group(3).replace("+Inf", "Infinity"));
            }
        }
        assertTrue(declared.stream().allMatch(name -> name.startsWith("tierline_")), declared.toString());
        assertEquals(declared.stream().distinct().toList(), declared, "each family once");
        assertEquals(List.of("{route=\"all\",backend=\"a\\\"1\",code=\"2xx\"} 1", "{route=\"-\",backend=\"-\",code=\"4xx\"} 1"),
                samples(text, "tierline_requests_total").stream().sorted(java.util.Comparator.reverseOrder()).toList());
        assertEquals(List.of("{state=\"leased\"} 2", "{state=\"available\"} 3", "{state=\"pending\"} 1"),
                samples(text, "tierline_upstream_pool_connections"));
        assertTrue(samples(text, "tierline_backend_state").contains("{cluster=\"app\",backend=\"b\",state=\"draining\"} 1"));
        assertFalse(PrometheusMetrics.exposition(router, traffic, Optional.empty()).contains("tierline_upstream_pool"),
                "no pool, no pool metrics");
    }

    @Test
    void theLatencyHistogram_isCumulative_andEndsWithItsCount() throws Exception {
        Router router = router();
        // Three attempts at a"1 (the drained b takes none): 1 ms, 40 ms and 2 s.
        for (long millis : new long[] {1, 40, 2000}) {
            BackendChoice choice = router.clusters().iterator().next().choose("k").orElseThrow();
            clock.addAndGet(millis * 1_000_000);
            choice.ended(ForwardOutcome.COMPLETED);
        }

        String text = PrometheusMetrics.exposition(router, new Traffic(), Optional.empty());

        List<String> buckets = samples(text, "tierline_upstream_duration_seconds_bucket").stream()
                .filter(sample -> sample.contains("backend=\"a\\\"1\"")).toList();
        long previous = 0;
        double previousBound = 0;
        for (String bucket : buckets) {
            String bound = bucket.replaceAll(".*le=\"([^\"]+)\".*", "$1");
            long count = Long.parseLong(bucket.substring(bucket.lastIndexOf(' ') + 1));
            double le = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
            assertTrue(le > previousBound && count >= previous, bucket);
            if (le >= 0.001 && le < 0.04) {
                assertTrue(count >= 1 && count <= 2, bucket);
            }
            previous = count;
            previousBound = le;
        }
        assertTrue(buckets.get(buckets.size() - 1).endsWith("le=\"+Inf\"} 3"), buckets.toString());
        assertEquals(List.of("{cluster=\"app\",backend=\"a\\\"1\"} 3"), samples(text, "tierline_upstream_duration_seconds_count")
                .stream().filter(sample -> sample.contains("a\\\"1")).toList());
        String sum = samples(text, "tierline_upstream_duration_seconds_sum").get(0);
        assertEquals(2.041, Double.parseDouble(sum.substring(sum.lastIndexOf(' ') + 1)), 1e-9);
        assertEquals(List.of("{cluster=\"app\",backend=\"a\\\"1\",outcome=\"completed\"} 3"),
                samples(text, "tierline_upstream_attempts_total").stream().filter(s -> s.contains("a\\\"1")).toList());
    }
}
