package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.launcher.Keystore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The topology with HTTPS between the tiers (TIERLINE_UPSTREAM_TLS=true): each app instance takes HTTPS on its
 * port + 1 with a certificate the launcher made, and the web tier checks it against a trust store of that
 * certificate alone.
 */
class UpstreamTlsTopologyIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int HTTP = Topology.HTTP;
    private static final List<Integer> TLS_PORTS = Topology.APPS.stream().map(port -> port + 1).toList();

    private static Topology topology;

    @BeforeAll
    static void startTopology() throws Exception {
        topology = Topology.start("upstream-tls-topology", Map.of("TIERLINE_UPSTREAM_TLS", "true",
                "TIERLINE_JAVA_OPTS", "-Xmx64m"));
    }

    @AfterAll
    static void stopTopology() throws Exception {
        Topology.stop(topology);
    }

    @Test
    void requestsReachBothAppInstances_overTheirHttpsPorts() throws Exception {
        // A run folder left by an earlier run keeps its logs: this run's requests are the ones marked so.
        String marker = "GET /api/whoami?run=" + java.util.UUID.randomUUID() + "&n=";
        for (int i = 0; i < 6; i++) {
            RawHttp.Response response = RawHttp.exchange("127.0.0.3", "127.0.0.1", HTTP,
                    marker + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", TIMEOUT);
            assertEquals(200, response.status(), response.text());
        }
        // The access log names the backend that answered each: the instances' HTTPS ports, which speak only TLS.
        // It is written in the background, within seconds.
        List<String> whoami = List.of();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (whoami.size() < 6 && System.nanoTime() < deadline) {
            List<String> lines = new ArrayList<>();
            try (Stream<Path> files = Files.list(topology.runDir.resolve("web/logs"))) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("web_access")).toList()) {
                    lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
                }
            }
            whoami = lines.stream().filter(line -> line.contains(marker)).toList();
            Thread.sleep(250);
        }
        assertEquals(6, whoami.size(), whoami::toString);
        for (int port : TLS_PORTS) {
            assertTrue(whoami.stream().anyMatch(line -> line.contains(":" + port + " ")),
                    "no request answered by the instance on " + port + ": " + whoami);
        }
    }

    @Test
    void theAppTiersHttpsPort_presentsTheCertificateOfTheWebTiersTrustStore() throws Exception {
        // Trusts the certificate the launcher made for the app tier, and nothing else; the host name is checked.
        HttpClient https = HttpClient.newBuilder()
                .sslContext(Keystore.ensureAppTier(topology.runDir.resolve("tls")).trustingIt())
                .connectTimeout(TIMEOUT).build();

        HttpResponse<String> response = https.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + TLS_PORTS.get(0) + "/api/health")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
    }

    @Test
    void theAppTiersHttpsPort_showsAScannerTls12And13Only_withForwardSecretAeadSuitesAlone() throws Exception {
        Topology.tlsCheck(TLS_PORTS.get(0));
    }
}
