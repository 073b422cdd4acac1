package dev.tierline.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris over raw sockets, against a Tomcat on loopback with the web tier's protocol: a request head must
 * be whole within 1 s of its first byte, while the connection timeout between reads is 5 s.
 */
class RequestHeadDeadlineTest {

    private static final int HEAD_TIMEOUT_MS = 1000;
    private static final int CONNECTION_TIMEOUT_MS = 5000;

    @TempDir
    static Path base;

    private static LoopbackTomcat tomcat;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        Connector connector = new Connector(WebTierHttp11NioProtocol.class.getName());
        connector.setProperty("connectionTimeout", String.valueOf(CONNECTION_TIMEOUT_MS));
        assertTrue(connector.setProperty("requestHeadTimeout", String.valueOf(HEAD_TIMEOUT_MS)));
        tomcat = LoopbackTomcat.start(base, connector, new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                byte[] body = request.getInputStream().readAllBytes();
                response.setContentType("text/plain");
                response.getWriter().write("read " + body.length);
            }
        });
        port = tomcat.port();
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String answer(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** True once the server has closed the connection: a read sees its end (or a reset). */
    private static boolean closedByServer(Socket socket, Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    @Test
    void aClientTricklingItsHead_isClosedAtTheDeadline_whileOthersAreServed() throws Exception {
        String head = "GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "a".repeat(100) + "\r\n\r\n";
        try (Socket slow = connect()) {
            long began = System.nanoTime();
            boolean closed = false;
            // A byte every 200 ms, each well within the 5 s between reads: only the head's deadline ends it.
            for (int i = 0; i < head.length() && i < 50 && !closed; i++) {
                try {
                    send(slow, head.substring(i, i + 1));
                } catch (SocketException e) {
                    closed = true;
                    break;
                }
                closed = closedByServer(slow, Duration.ofMillis(200));
                if (i == 2) {
                    try (Socket other = connect()) {
                        send(other, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                        assertTrue(answer(other).startsWith("HTTP/1.1 200 "), "another client is served meanwhile");
                    }
                }
            }
            long took = System.nanoTime() - began;
            assertTrue(closed, "the trickling client was still connected after 50 bytes");
            assertTrue(took >= Duration.ofMillis(HEAD_TIMEOUT_MS).toNanos(), "not before the deadline");
        }
    }

    @Test
    void aClientSilentMidHead_isClosedAtTheDeadline_notAtTheConnectionTimeout() throws Exception {
        try (Socket silent = connect()) {
            send(silent, "GET / HTTP/1.1\r\nHost: loc");
            long began = System.nanoTime();
            assertTrue(closedByServer(silent, Duration.ofMillis(CONNECTION_TIMEOUT_MS - 1000)),
                    "still open after " + (CONNECTION_TIMEOUT_MS - 1000) + " ms");
            assertTrue(System.nanoTime() - began >= Duration.ofMillis(HEAD_TIMEOUT_MS / 2).toNanos(),
                    "closed before the deadline was near");
        }
    }

    @Test
    void aHeadWithinTheDeadline_leavesTheBodyTheConnectionTimeout() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "POST / HTTP/1.1\r\nHost: localhost\r\n");
            Thread.sleep(HEAD_TIMEOUT_MS / 2);
            send(socket, "Content-Length: 4\r\nConnection: close\r\n\r\n");
            // Longer than the head's deadline, shorter than the connection timeout.
            Thread.sleep(HEAD_TIMEOUT_MS * 2L);
            send(socket, "body");
            String answer = answer(socket);
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            assertTrue(answer.endsWith("read 4"), answer);
        }
    }

    @Test
    void keptAliveConnections_haveEachHeadTimedOnItsOwn() throws Exception {
        try (Socket socket = connect()) {
            for (int i = 0; i < 3; i++) {
                send(socket, "GET / HTTP/1.1\r\nHost: localhost\r\n");
                Thread.sleep(HEAD_TIMEOUT_MS / 2);
                send(socket, "\r\n");
                InputStream in = socket.getInputStream();
                String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
                assertEquals("HTTP/1.1 200", status, "request " + i);
                // The rest of the response: its headers and "read 0".
                byte[] rest = new byte[4096];
                int n = in.read(rest);
                assertTrue(new String(rest, 0, n, StandardCharsets.ISO_8859_1).contains("read 0"));
                Thread.sleep(HEAD_TIMEOUT_MS / 2);
            }
        }
    }
}
