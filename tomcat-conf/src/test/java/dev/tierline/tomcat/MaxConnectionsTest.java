package dev.tierline.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web tier's connection limit (server.xml's maxConnections, TIERLINE_WEB_MAX_CONNECTIONS), over raw
 * sockets against a Tomcat on loopback with the web tier's protocol and a limit of 4: clients past it wait in
 * the accept queue, unanswered and costing no thread, until a connection closes.
 */
class MaxConnectionsTest {

    private static final int MAX_CONNECTIONS = 4;

    @TempDir
    static Path base;

    private static LoopbackTomcat tomcat;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        Connector connector = new Connector(WebTierHttp11NioProtocol.class.getName());
        assertTrue(connector.setProperty("maxConnections", String.valueOf(MAX_CONNECTIONS)));
        tomcat = LoopbackTomcat.start(base, connector, LoopbackTomcat.hello());
        port = tomcat.port();
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
    }

    private static Socket request(String head) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return socket;
    }

    @Test
    void aClientPastTheLimit_waitsUnanswered_untilAConnectionCloses() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            // Each holds a connection with a request head that never ends.
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                held.add(request("GET / HTTP/1.1\r\nHost: localhost\r\nX-Held: "));
            }
            try (Socket extra = request("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")) {
                extra.setSoTimeout(1500);
                InputStream in = extra.getInputStream();
                assertThrows(SocketTimeoutException.class, in::read, "answered past the limit");

                held.remove(0).close();

                extra.setSoTimeout(10_000);
                String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
                assertEquals("hello", answer.substring(answer.indexOf("\r\n\r\n") + 4));
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
