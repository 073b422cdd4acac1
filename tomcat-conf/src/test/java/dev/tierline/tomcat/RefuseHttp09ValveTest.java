package dev.tierline.tomcat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Over raw sockets, against a Tomcat on loopback with the valve in its Engine. */
class RefuseHttp09ValveTest {

    @TempDir
    static Path base;

    private static LoopbackTomcat tomcat;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        tomcat = LoopbackTomcat.start(base, new Connector(), LoopbackTomcat.hello(), new RefuseHttp09Valve());
        port = tomcat.port();
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
    }

    private static byte[] exchange(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            return in.readAllBytes();
        }
    }

    @Test
    void anHttp09Request_isClosedWithoutAByte() throws IOException {
        assertArrayEquals(new byte[0], exchange("GET /\r\n"));
    }

    @Test
    void anHttp11Request_isServedAsBefore() throws IOException {
        String response = new String(exchange("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
                StandardCharsets.ISO_8859_1);

        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertTrue(response.endsWith("hello"), response);
    }
}
