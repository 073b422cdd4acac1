import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Reads a server-sent event stream whose events carry the time they were written (microseconds since the
 * epoch, from the app's /api/test/events) and prints one line: events, then p50, p99 and max of how long
 * each took to arrive, in milliseconds. Run by bench/sse-latency with the JDK's source launcher.
 */
public final class SseLatency {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int expected = Integer.parseInt(args[1]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<java.util.stream.Stream<String>> response = client.send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(2)).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + response.statusCode());
        }
        long[] latencies = new long[expected];
        int received = 0;
        for (Iterator<String> lines = response.body().iterator(); lines.hasNext() && received < expected; ) {
            String line = lines.next();
            if (line.startsWith("data: ")) {
                Instant now = Instant.now();
                long nowMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
                latencies[received++] = nowMicros - Long.parseLong(line.substring(6).strip());
            }
        }
        long[] sorted = Arrays.copyOf(latencies, received);
        Arrays.sort(sorted);
        System.out.printf("%d %.2f %.2f %.2f%n", received, percentile(sorted, 50), percentile(sorted, 99),
                sorted.length == 0 ? 0.0 : sorted[sorted.length - 1] / 1000.0);
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1000.0;
    }
}
