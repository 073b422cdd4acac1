package dev.tierline.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web tier's protocol with compression on, and the request attribute that keeps one response as it is. */
class CompressionTest {

    @TempDir
    static Path base;

    private static LoopbackTomcat tomcat;
    private static int port;
    private static final String BODY = "{\"pad\":\"" + "x".repeat(4000) + "\"}";

    @BeforeAll
    static void start() throws Exception {
        Connector connector = new Connector(WebTierHttp11NioProtocol.class.getName());
        connector.setProperty("compression", "on");
        connector.setProperty("compressionMinSize", "1024");
        connector.setProperty("compressibleMimeType", "application/json");
        tomcat = LoopbackTomcat.start(base, connector, new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                if (request.getParameter("keep") != null) {
                    request.setAttribute(WebTierHttp11NioProtocol.NO_COMPRESSION_ATTRIBUTE, Boolean.TRUE);
                }
                response.setContentType("application/json");
                response.getOutputStream().write(BODY.getBytes(StandardCharsets.US_ASCII));
            }
        });
        port = tomcat.port();
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
    }

    private static HttpResponse<byte[]> get(String query) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + query))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aCompressibleResponse_isGzipped_forAClientThatAcceptsIt() throws Exception {
        HttpResponse<byte[]> response = get("");

        assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElse(null));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            assertEquals(BODY, new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void theAttribute_keepsTheResponseAsItIs() throws Exception {
        HttpResponse<byte[]> response = get("?keep");

        assertNull(response.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals(BODY, new String(response.body(), StandardCharsets.US_ASCII));
    }
}
