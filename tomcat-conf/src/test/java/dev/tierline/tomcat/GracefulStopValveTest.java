package dev.tierline.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping a Tomcat with the valve in its Engine while an asynchronous request is in flight, over raw sockets. */
class GracefulStopValveTest {

    @TempDir
    Path base;

    private LoopbackTomcat tomcat;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void cleanUp() throws Exception {
        timer.shutdownNow();
        if (tomcat != null) {
            tomcat.close();
        }
    }

    /** A Tomcat whose one servlet answers "done" {@code ?ms=} milliseconds later, asynchronously. */
    private int start(long graceMillis) throws Exception {
        GracefulStopValve valve = new GracefulStopValve();
        valve.setGraceMillis(graceMillis);
        tomcat = LoopbackTomcat.start(base, new Connector(), new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                AsyncContext async = request.startAsync();
                async.setTimeout(0);
                // As the proxy does: a request the container times out (as it does to those still in flight
                // when an application stops) is completed with whatever it has.
                async.addListener(new AsyncListener() {
                    @Override
                    public void onTimeout(AsyncEvent event) {
                        async.complete();
                    }

                    @Override
                    public void onComplete(AsyncEvent event) {
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                    }
                });
                if (request.getParameter("ms").equals("-1")) {
                    // A stream: its first part now, and the rest never.
                    response.setContentType("text/plain");
                    response.getOutputStream().write("first".getBytes(StandardCharsets.US_ASCII));
                    response.flushBuffer();
                    return;
                }
                timer.schedule(() -> {
                    try {
                        response.setContentType("text/plain");
                        response.getOutputStream().write("done".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // the client left
                    }
                    async.complete();
                }, Long.parseLong(request.getParameter("ms")), TimeUnit.MILLISECONDS);
            }
        }, valve);
        return tomcat.port();
    }

    private static CompletableFuture<String> get(int port, long ms) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(15_000);
                socket.getOutputStream().write(("GET /?ms=" + ms + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return "failed: " + e;
            }
        });
    }

    @Test
    void aRequestInFlight_endsWhole_beforeTheApplicationsStop() throws Exception {
        int port = start(10_000);
        CompletableFuture<String> answer = get(port, 1500);
        Thread.sleep(300);

        tomcat.tomcat().stop();

        assertTrue(answer.isDone(), "the stop returned before the request in flight ended");
        String text = answer.get();
        assertTrue(text.startsWith("HTTP/1.1 200 "), text);
        assertTrue(text.endsWith("\r\n\r\ndone"), text);
    }

    @Test
    void theStop_waitsNoLongerThanTheGrace() throws Exception {
        int port = start(500);
        CompletableFuture<String> answer = get(port, 8000);
        Thread.sleep(300);

        long began = System.nanoTime();
        tomcat.tomcat().stop();

        assertTrue(System.nanoTime() - began < TimeUnit.SECONDS.toNanos(5), "the stop waited past its grace");
        // Cut short by the stop: the connection is closed without an answer, never an empty 200.
        assertEquals("", answer.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aStreamCutShortByTheStop_neverEndsCleanly() throws Exception {
        int port = start(500);
        CompletableFuture<String> answer = get(port, -1);
        Thread.sleep(300);

        tomcat.tomcat().stop();

        String text = answer.get(10, TimeUnit.SECONDS);
        assertTrue(text.startsWith("HTTP/1.1 200 "), text);
        assertTrue(text.contains("\r\n\r\n5\r\nfirst\r\n"), text);
        assertTrue(!text.endsWith("0\r\n\r\n"), "the chunked body ended cleanly: " + text);
    }
}
