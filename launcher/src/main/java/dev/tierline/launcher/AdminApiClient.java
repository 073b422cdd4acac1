package dev.tierline.launcher;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web tier's admin API over HTTPS, as an operator: the status of its backends, and drain, enable and
 * probe of one.
 */
final class AdminApiClient {

    /** One backend of one cluster as the admin API shows it. */
    record Backend(String cluster, String id, String url, String state, String adminState, String health,
            int inFlight) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final URI api;
    private final String authorization;
    private final HttpClient http;
    /** Tomcat's REST CSRF token of this client's session, sent back with every change. */
    private String csrfToken = "none";

    /** @param api the admin API's root, such as {@code https://127.0.0.1:8443/_admin/api/} */
    AdminApiClient(URI api, Credentials operator, SSLContext tls) {
        this.api = api;
        this.authorization = operator.basicAuthorization();
        this.http = HttpClient.newBuilder()
                // The run folder's certificate alone is trusted, its chain and host name checked.
                .sslContext(tls)
                // One session: the admin gate checks the password (PBKDF2, slow on purpose) once per session,
                // and the CSRF token belongs to the session.
                .cookieHandler(new CookieManager())
                // A redirect means a wrong admin path or port, to be reported rather than followed to a login form.
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Every backend of every cluster; also fetches the CSRF token the changes need. */
    List<Backend> status() {
        HttpResponse<String> response = send(request("status").header("X-CSRF-Token", "Fetch").GET());
        response.headers().firstValue("X-CSRF-Token").ifPresent(token -> csrfToken = token);
        return parseStatus(requireOk(response, "status").body());
    }

    /** Runs {@code operation} (drain, enable, disable) on a backend and returns it as it is now. */
    Backend operate(Backend backend, String operation) {
        HttpResponse<String> response = post(backend, operation);
        return parseBackend(backend.cluster(), requireOk(response, operation + " of " + backend.id()).body());
    }

    /** Has the web tier probe the backend now; empty when its cluster has no probe. */
    Optional<Backend> probe(Backend backend) {
        HttpResponse<String> response = post(backend, "probe");
        if (response.statusCode() == 409) {
            return Optional.empty();
        }
        return Optional.of(parseBackend(backend.cluster(), requireOk(response, "probe of " + backend.id()).body()));
    }

    private HttpResponse<String> post(Backend backend, String operation) {
        return send(request("clusters/" + segment(backend.cluster()) + "/backends/" + segment(backend.id()) + "/"
                + operation).header("X-CSRF-Token", csrfToken).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(api.resolve(path)).timeout(TIMEOUT).header("Authorization", authorization);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new LauncherException("the web tier's admin API did not answer " + built.uri() + " within "
                    + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new LauncherException("the web tier's admin API does not answer at " + built.uri() + " (" + e
                    + "); is the topology running?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted", e);
        }
    }

    private static HttpResponse<String> requireOk(HttpResponse<String> response, String what) {
        int status = response.statusCode();
        if (status == 200) {
            return response;
        }
        String reason = switch (status) {
            case 401 -> "the admin user or password is wrong";
            case 403 -> "this user or address may not change backends";
            default -> "HTTP " + status;
        };
        throw new LauncherException("the web tier's admin API refused the " + what + ": " + reason
                + problemDetail(response.body()).map(detail -> " (" + detail + ")").orElse(""));
    }

    /** The {@code detail} of an RFC 9457 problem, which names what the admin API refused and why. */
    static Optional<String> problemDetail(String body) {
        try {
            return JSON.readTree(body).path("detail").stringValueOpt();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /** The backends of every cluster of a {@code GET status} answer. */
    static List<Backend> parseStatus(String json) {
        List<Backend> backends = new ArrayList<>();
        for (JsonNode cluster : tree(json).path("clusters").values()) {
            for (JsonNode backend : cluster.path("backends").values()) {
                backends.add(backend(required(cluster, "id"), backend));
            }
        }
        return backends;
    }

    /** The backend an operation answers with. */
    static Backend parseBackend(String cluster, String json) {
        return backend(cluster, tree(json));
    }

    private static Backend backend(String cluster, JsonNode node) {
        JsonNode inFlight = node.path("inFlight");
        if (!inFlight.isIntegralNumber()) {
            throw new LauncherException("the web tier's admin API sent a backend without 'inFlight': " + node);
        }
        return new Backend(cluster, required(node, "id"), required(node, "url"), required(node, "state"),
                required(node, "adminState"), required(node, "health"), inFlight.intValue());
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            throw new LauncherException("the web tier's admin API sent something other than JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static String required(JsonNode node, String field) {
        return node.path(field).stringValueOpt().orElseThrow(() -> new LauncherException(
                "the web tier's admin API sent an object without '" + field + "': " + node));
    }

    /** A cluster or backend id as one path segment. */
    private static String segment(String id) {
        return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
