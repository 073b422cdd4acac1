import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.impl.bootstrap.AsyncRequesterBootstrap;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncRequester;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The upstream half of a proxy's work, alone: an HttpCore 5 client (the library under Tierline's HTTP/1.1
 * path) keeping {@code connections} GETs of {@code url} in flight over pooled keep-alive connections, after a
 * warm-up. Prints requests completed, failures, and this JVM's CPU time per request in microseconds: what the
 * upstream exchange costs a Java proxy before any of the client side.
 *
 * <p>Usage: {@code java -cp httpcore5.jar bench/UpstreamFloor.java URL CONNECTIONS SECONDS WARMUP_SECONDS}
 */
public class UpstreamFloor {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int connections = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        long warmup = Long.parseLong(args[3]);
        HttpHost target = new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort());
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpAsyncRequester requester = AsyncRequesterBootstrap.bootstrap()
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(Runtime.getRuntime().availableProcessors())
                        .setTcpNoDelay(true)
                        .build())
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                .setPoolReusePolicy(PoolReusePolicy.LIFO)
                .setDefaultMaxPerRoute(connections)
                .create();
        requester.start();
        try {
            run(requester, target, path, connections, warmup);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            long[] counts = run(requester, target, path, connections, seconds);
            long cpu = os.getProcessCpuTime() - cpuBefore;
            System.out.printf("%d %d %.0f%n", counts[0], counts[1], counts[0] == 0 ? 0.0 : cpu / 1000.0 / counts[0]);
        } finally {
            requester.close(CloseMode.IMMEDIATE);
        }
    }

    /** Keeps {@code connections} requests in flight until {@code seconds} are up; returns completed, failed. */
    private static long[] run(HttpAsyncRequester requester, HttpHost target, String path, int connections,
            long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(connections);
        for (int i = 0; i < connections; i++) {
            send(requester, target, path, deadline, completed, failed, done);
        }
        // Bounded: every loop ends at the deadline; the wait allows the last responses their timeout.
        done.await(seconds + 30, TimeUnit.SECONDS);
        return new long[] {completed.get(), failed.get()};
    }

    private static void send(HttpAsyncRequester requester, HttpHost target, String path, long deadline,
            AtomicLong completed, AtomicLong failed, CountDownLatch done) {
        if (System.nanoTime() >= deadline) {
            done.countDown();
            return;
        }
        Future<Message<HttpResponse, Void>> unused = requester.execute(
                new BasicRequestProducer(new BasicHttpRequest("GET", target, path), null),
                new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()), Timeout.ofSeconds(10),
                new FutureCallback<>() {
                    @Override
                    public void completed(Message<HttpResponse, Void> response) {
                        (response.getHead().getCode() == 200 ? completed : failed).incrementAndGet();
                        send(requester, target, path, deadline, completed, failed, done);
                    }

                    @Override
                    public void failed(Exception cause) {
                        failed.incrementAndGet();
                        send(requester, target, path, deadline, completed, failed, done);
                    }

                    @Override
                    public void cancelled() {
                        failed.incrementAndGet();
                        done.countDown();
                    }
                });
    }
}
