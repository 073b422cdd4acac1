import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak: a steady, moderate load of GETs and POSTs through the web tier for a while, as an app instance is
 * killed (SIGKILL, the launcher starts it again) every 30 s, taking turns, and the configuration file is
 * rewritten every 20 s (the web tier reloads it). Every POST carries a token that app-war's
 * {@code /api/test/record} appends to its instance's {@code logs/recorded-posts.log}, so a POST run twice, or
 * answered as done but never run, shows in the end. Every 30 s it samples the web tier's heap (used after the
 * young collections, from jstat) and threads.
 *
 * <p>Usage: {@code java bench/Soak.java WEB_URL RUN_DIR CONFIG_FILE SECONDS APP_PORT...}. Prints a report;
 * exits 1 when a POST ran twice or an answered one never ran.
 */
public class Soak {

    private static final int GET_CLIENTS = 4;
    private static final int POST_CLIENTS = 2;
    /** Each client's pause between two requests: about 300 requests a second in all, a moderate load here. */
    private static final Duration PACE = Duration.ofMillis(20);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final ConcurrentMap<String, AtomicLong> OUTCOMES = new ConcurrentHashMap<>();
    /** Each POST's token and the status it was answered with (0: no answer). */
    private static final ConcurrentMap<String, Integer> POSTS = new ConcurrentHashMap<>();
    private static final AtomicLong REQUESTS = new AtomicLong();

    public static void main(String[] args) throws Exception {
        URI web = URI.create(args[0]);
        Path runDir = Path.of(args[1]);
        Path config = Path.of(args[2]);
        Duration length = Duration.ofSeconds(Long.parseLong(args[3]));
        List<Integer> apps = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            apps.add(Integer.parseInt(args[i]));
        }
        long webPid = jvmOf(runDir.resolve("web")).orElseThrow(() -> new IllegalStateException("no web tier JVM"));
        String originalConfig = Files.readString(config);

        AtomicBoolean stop = new AtomicBoolean();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < GET_CLIENTS + POST_CLIENTS; i++) {
            boolean post = i >= GET_CLIENTS;
            Thread client = new Thread(() -> load(http, web, post, stop), (post ? "post-" : "get-") + i);
            client.start();
            clients.add(client);
        }

        long start = System.nanoTime();
        long end = start + length.toNanos();
        long nextKill = start + Duration.ofSeconds(30).toNanos();
        long nextReload = start + Duration.ofSeconds(20).toNanos();
        long nextSample = start;
        int kills = 0;
        int reloads = 0;
        List<String> samples = new ArrayList<>();
        List<long[]> figures = new ArrayList<>();
        System.out.println("| s | requests | web tier heap used MiB | old gen MiB | threads |");
        System.out.println("|---|---|---|---|---|");
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (now >= nextSample) {
                long[] heap = heap(webPid);
                long threads = threads(webPid);
                figures.add(new long[] {heap[0], heap[1], threads});
                String line = String.format("| %d | %d | %d | %d | %d |", Duration.ofNanos(now - start).toSeconds(),
                        REQUESTS.get(), heap[0], heap[1], threads);
                samples.add(line);
                System.out.println(line);
                nextSample += Duration.ofSeconds(30).toNanos();
            }
            if (now >= nextKill) {
                int port = apps.get(kills % apps.size());
                Optional<Long> victim = jvmOf(runDir.resolve("app-" + port));
                victim.flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
                kills++;
                nextKill += Duration.ofSeconds(30).toNanos();
            }
            if (now >= nextReload) {
                // A change the reload must apply: the first backend's weight goes between 1 and 2.
                reloads++;
                String weight = reloads % 2 == 1 ? "\"weight\": 2" : "\"weight\": 1";
                Path partial = config.resolveSibling(config.getFileName() + ".new");
                Files.writeString(partial, originalConfig.replaceFirst("\"weight\": 1", weight));
                Files.move(partial, config, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                nextReload += Duration.ofSeconds(20).toNanos();
            }
            Thread.sleep(100);
        }
        stop.set(true);
        for (Thread client : clients) {
            client.join(REQUEST_TIMEOUT.toMillis() + 5000);
        }

        Map<String, Integer> runs = new HashMap<>();
        for (int port : apps) {
            Path recorded = runDir.resolve("app-" + port).resolve("logs").resolve("recorded-posts.log");
            if (Files.exists(recorded)) {
                for (String token : Files.readAllLines(recorded, StandardCharsets.UTF_8)) {
                    runs.merge(token.strip(), 1, Integer::sum);
                }
            }
        }
        long duplicated = POSTS.keySet().stream().filter(token -> runs.getOrDefault(token, 0) > 1).count();
        long answeredNotRun = POSTS.entrySet().stream()
                .filter(e -> e.getValue() / 100 == 2 && runs.getOrDefault(e.getKey(), 0) == 0).count();
        long failedButRun = POSTS.entrySet().stream()
                .filter(e -> e.getValue() / 100 != 2 && runs.getOrDefault(e.getKey(), 0) == 1).count();

        System.out.println();
        System.out.printf("Soak: %d s, %d requests (%d POSTs), %d app instances killed, the configuration rewritten %d times%n",
                length.toSeconds(), REQUESTS.get(), POSTS.size(), kills, reloads);
        System.out.println();
        System.out.println("| outcome | count |");
        System.out.println("|---|---|");
        new TreeMap<>(OUTCOMES).forEach((outcome, count) -> System.out.printf("| %s | %d |%n", outcome, count.get()));
        System.out.println();
        System.out.printf("POSTs run twice: %d; POSTs answered 2xx but never run: %d; POSTs answered with an error that"
                + " did run: %d%n", duplicated, answeredNotRun, failedButRun);
        long[] first = figures.get(Math.min(1, figures.size() - 1));
        long[] last = figures.get(figures.size() - 1);
        long maxThreads = figures.stream().mapToLong(f -> f[2]).max().orElse(0);
        long maxOld = figures.stream().mapToLong(f -> f[1]).max().orElse(0);
        System.out.printf("Web tier from the first minute to the end: old gen %d -> %d MiB (max %d), threads %d -> %d"
                + " (max %d)%n", first[1], last[1], maxOld, first[2], last[2], maxThreads);
        if (duplicated > 0 || answeredNotRun > 0) {
            System.out.println("soak: FAILED: a POST ran twice, or one answered as done never ran");
            System.exit(1);
        }
    }

    private static void load(HttpClient http, URI web, boolean post, AtomicBoolean stop) {
        while (!stop.get()) {
            String token = UUID.randomUUID().toString();
            HttpRequest request = post
                    ? HttpRequest.newBuilder(web.resolve("/api/test/record?token=" + token)).timeout(REQUEST_TIMEOUT)
                            .POST(HttpRequest.BodyPublishers.noBody()).build()
                    : HttpRequest.newBuilder(web.resolve("/api/whoami")).timeout(REQUEST_TIMEOUT).build();
            String method = post ? "POST" : "GET";
            int status = 0;
            try {
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                status = response.statusCode();
                count(method + " " + status);
            } catch (IOException e) {
                count(method + " " + e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            REQUESTS.incrementAndGet();
            if (post) {
                POSTS.put(token, status);
            }
            try {
                Thread.sleep(PACE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void count(String outcome) {
        OUTCOMES.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    /** The JVM whose CATALINA_BASE is {@code base}. */
    private static Optional<Long> jvmOf(Path base) {
        String marker = "catalina.base=" + base;
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker + " ") || c.endsWith(marker)).orElse(false))
                .map(ProcessHandle::pid).findFirst();
    }

    /** Heap used and old generation used, in MiB, from jstat -gc (the JDK's own tool). */
    private static long[] heap(long pid) throws IOException, InterruptedException {
        Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
        Process process = new ProcessBuilder(jstat.toString(), "-gc", String.valueOf(pid)).redirectErrorStream(true).start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        process.waitFor();
        if (lines.size() < 2) {
            return new long[] {-1, -1};
        }
        String[] names = lines.get(0).trim().split("\\s+");
        String[] values = lines.get(1).trim().split("\\s+");
        double used = 0;
        double old = 0;
        for (int i = 0; i < names.length && i < values.length; i++) {
            switch (names[i]) {
                case "S0U", "S1U", "EU" -> used += Double.parseDouble(values[i]);
                case "OU" -> {
                    used += Double.parseDouble(values[i]);
                    old = Double.parseDouble(values[i]);
                }
                default -> { }
            }
        }
        return new long[] {Math.round(used / 1024), Math.round(old / 1024)};
    }

    private static long threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.substring("Threads:".length()).strip());
            }
        }
        return -1;
    }
}
