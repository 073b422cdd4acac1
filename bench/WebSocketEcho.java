import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.CharBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * WebSocket echo load: {@code connections} clients (the JDK's WebSocket client), each sending a text message of
 * {@code bytes} and waiting for its echo before the next, for {@code seconds} (and at most 10 million messages).
 * Prints one line: messages echoed, messages/s, then p50, p99 and max round trip in milliseconds. Run by
 * bench/websocket with the JDK's source launcher.
 */
public final class WebSocketEcho {

    private static final long MAX_MESSAGES = 10_000_000;

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int connections = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        String message = "m".repeat(Integer.parseInt(args[3]));
        HttpClient http = HttpClient.newHttpClient();
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Client client = new Client(message);
            client.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(uri, client).get(10, TimeUnit.SECONDS);
            clients.add(client);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long started = System.nanoTime();
        for (Client client : clients) {
            client.deadline = deadline;
            client.sendNext();
        }
        for (Client client : clients) {
            client.done.get(seconds + 30, TimeUnit.SECONDS);
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long[] all = clients.stream().flatMapToLong(c -> Arrays.stream(c.latencies, 0, c.count)).sorted().toArray();
        for (Client client : clients) {
            client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        }
        System.out.printf("%d %.0f %.3f %.3f %.3f%n", all.length, all.length / elapsed, percentile(all, 50),
                percentile(all, 99), all.length == 0 ? 0.0 : all[all.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    /** One connection: sends, waits for the whole echo, notes the round trip, sends again until the deadline. */
    private static final class Client implements WebSocket.Listener {
        final String message;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        long[] latencies = new long[1 << 16];
        int count;
        long deadline;
        long sentAt;
        WebSocket socket;
        private final StringBuilder received = new StringBuilder();

        Client(String message) {
            this.message = message;
        }

        void sendNext() {
            if (System.nanoTime() - deadline >= 0 || count >= MAX_MESSAGES / 16) {
                done.complete(null);
                return;
            }
            sentAt = System.nanoTime();
            socket.sendText(message, true);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            received.append(data);
            webSocket.request(1);
            if (last) {
                if (received.length() != message.length()) {
                    done.completeExceptionally(new IllegalStateException("echo of " + received.length()
                            + " characters for " + message.length()));
                    return null;
                }
                received.setLength(0);
                if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                }
                latencies[count++] = System.nanoTime() - sentAt;
                sendNext();
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            done.completeExceptionally(error);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            done.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
            return null;
        }
    }
}
