package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Large bodies through a running topology's web tier, checked byte for byte. */
final class Transfers {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Transfers() {
    }

    /** Uploads {@code size} bytes to the app's echo endpoint, which reports their length and SHA-256. */
    static void upload(int port, long size) throws Exception {
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        try (InputStream pattern = new PatternStream(size)) {
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = pattern.read(buffer)) != -1; ) {
                expected.update(buffer, 0, n);
            }
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/test/echo")).timeout(Duration.ofMinutes(3))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(size)), size))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        JsonNode echo = JSON.readTree(response.body());
        assertEquals(size, echo.get("bodyLength").longValue());
        assertEquals(HexFormat.of().formatHex(expected.digest()), echo.get("bodySha256").stringValue());
    }

    /** Downloads {@code size} bytes of the app's pattern and checks every one. */
    static void download(int port, long size) throws Exception {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/test/bytes?n=" + size)).timeout(Duration.ofMinutes(3))
                .build(), HttpResponse.BodyHandlers.ofInputStream());

        assertEquals(200, response.statusCode());
        try (InputStream body = response.body()) {
            assertEquals(size, PatternStream.verify(body));
        }
    }

    /** The bodies above prove bounded memory only if the web tier really runs in 64 MiB of heap. */
    static void assertWebTierHeapIs64MiB(Process launcher, Path runDir) {
        String web = launcher.descendants()
                .map(p -> p.info().commandLine().orElse(""))
                .filter(command -> command.contains("catalina.base=" + runDir.resolve("web")))
                .findFirst().orElseThrow();
        assertTrue(web.contains("-Xmx64m"), web);
    }
}
