package dev.tierline.proxy.admin;

import dev.tierline.proxy.balance.BackendState;
import dev.tierline.proxy.balance.Cluster;
import dev.tierline.proxy.forward.ForwardOutcome;
import dev.tierline.proxy.forward.PoolUse;
import dev.tierline.proxy.metrics.Histogram;
import dev.tierline.proxy.metrics.Traffic;
import dev.tierline.proxy.route.Router;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The web tier's metrics in the Prometheus text exposition format (version 0.0.4), at the admin path's
 * {@code /metrics}: one {@code tierline_} prefix, seconds, {@code _total} counters. Written here rather than
 * with a client library: every value already lives in the web tier's own counters, read at each scrape.
 */
final class PrometheusMetrics extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final List<String> STATES = List.of("healthy", "unhealthy", "ejected", "draining", "disabled");

    private final transient Supplier<Router> router;
    private final transient Traffic traffic;
    private final transient Supplier<Optional<PoolUse>> pool;

    PrometheusMetrics(Supplier<Router> router, Traffic traffic, Supplier<Optional<PoolUse>> pool) {
        this.router = router;
        this.traffic = traffic;
        this.pool = pool;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = exposition(router.get(), traffic, pool.get()).getBytes(StandardCharsets.UTF_8);
        response.setContentType(CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static String exposition(Router router, Traffic traffic, Optional<PoolUse> pool) {
        StringBuilder out = new StringBuilder(8192);
        family(out, "tierline_requests_total", "counter",
                "Requests answered, by route, backend and the class of the status the client got (499: it left first)");
        for (Map.Entry<Traffic.Key, Long> count : traffic.counts().entrySet()) {
            sample(out, "tierline_requests_total", labels("route", count.getKey().route(), "backend",
                    count.getKey().backend(), "code", count.getKey().statusClass()), count.getValue());
        }
        // Each backend's labels once: every family below has a sample per backend.
        List<Member> members = new ArrayList<>();
        for (Cluster cluster : router.clusters()) {
            for (BackendState member : cluster.members()) {
                members.add(new Member(member, "cluster=\"" + escape(cluster.id()) + "\",backend=\""
                        + escape(member.backend().id()) + "\""));
            }
        }
        family(out, "tierline_upstream_attempts_total", "counter", "Attempts at a backend, by how they ended");
        for (Member member : members) {
            for (Map.Entry<ForwardOutcome, Long> outcome : member.state().stats().outcomes().entrySet()) {
                sample(out, "tierline_upstream_attempts_total", member.with("outcome",
                        outcome.getKey().name().toLowerCase(Locale.ROOT)), outcome.getValue());
            }
        }
        family(out, "tierline_upstream_duration_seconds", "histogram",
                "How long attempts at a backend took, from its choice to the end of its response");
        double[] bounds = Histogram.bounds();
        for (Member member : members) {
            Histogram.Snapshot durations = member.state().stats().durations();
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += durations.counts()[i];
                sample(out, "tierline_upstream_duration_seconds_bucket", member.with("le", String.valueOf(bounds[i])),
                        cumulative);
            }
            sample(out, "tierline_upstream_duration_seconds_bucket", member.with("le", "+Inf"), durations.count());
            sample(out, "tierline_upstream_duration_seconds_sum", member.labels(), durations.sumSeconds());
            sample(out, "tierline_upstream_duration_seconds_count", member.labels(), durations.count());
        }
        family(out, "tierline_backend_in_flight", "gauge", "Requests at a backend that have not finished");
        for (Member member : members) {
            sample(out, "tierline_backend_in_flight", member.labels(), member.state().inFlight());
        }
        family(out, "tierline_backend_state", "gauge", "1 for the state a backend is in, 0 for the others");
        for (Member member : members) {
            String state = StatusView.state(member.state());
            for (String candidate : STATES) {
                sample(out, "tierline_backend_state", member.with("state", candidate), candidate.equals(state) ? 1 : 0);
            }
        }
        family(out, "tierline_backend_ejections_total", "counter", "Times passive health ejected a backend");
        for (Member member : members) {
            sample(out, "tierline_backend_ejections_total", member.labels(), member.state().health().ejections());
        }
        family(out, "tierline_cluster_retries_total", "counter",
                "Requests sent to another backend after a failed attempt, since the configuration was last loaded");
        for (Cluster cluster : router.clusters()) {
            sample(out, "tierline_cluster_retries_total", labels("cluster", cluster.id()), cluster.retries());
        }
        if (pool.isPresent()) {
            family(out, "tierline_upstream_pool_connections", "gauge",
                    "Pooled HTTP/1.1 connections to the app tier: leased, available, and requests pending one");
            sample(out, "tierline_upstream_pool_connections", labels("state", "leased"), pool.get().leased());
            sample(out, "tierline_upstream_pool_connections", labels("state", "available"), pool.get().available());
            sample(out, "tierline_upstream_pool_connections", labels("state", "pending"), pool.get().pending());
            family(out, "tierline_upstream_pool_max_connections", "gauge", "The most connections the pool may hold");
            sample(out, "tierline_upstream_pool_max_connections", "", pool.get().max());
        }
        return out.toString();
    }

    /** A backend and its labels in the exposition, {@code cluster="...",backend="..."}. */
    private record Member(BackendState state, String base) {

        String labels() {
            return "{" + base + "}";
        }

        /** Its labels and one more. */
        String with(String name, String value) {
            return "{" + base + "," + name + "=\"" + escape(value) + "\"}";
        }
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name).append(labels).append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        out.append('\n');
    }

    /** {@code {name="value",...}} from names and values in turn. */
    private static String labels(String... namesAndValues) {
        StringBuilder labels = new StringBuilder("{");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (i > 0) {
                labels.append(',');
            }
            labels.append(namesAndValues[i]).append("=\"").append(escape(namesAndValues[i + 1])).append('"');
        }
        return labels.append('}').toString();
    }

    /** A label value as the format writes it: backslash, double quote and line feed escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
