package dev.tierline.launcher;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** One Tomcat Manager's text interface, as the deployer: its applications, and a WAR deployed at a context path. */
final class ManagerClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** A deployment answers once the application has started again (or failed to): that can take a while. */
    private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(5);

    private final URI manager;
    private final String authorization;
    private final HttpClient http;

    /** @param manager the Manager's root, such as {@code http://127.0.0.1:5100/manager/} */
    ManagerClient(URI manager, Credentials deployer) {
        this.manager = manager;
        // Sent with every request rather than after a challenge, which would upload a WAR twice.
        this.authorization = deployer.basicAuthorization();
        this.http = HttpClient.newBuilder()
                // Plain HTTP/1.1: the Manager's connector speaks nothing else, so an h2c upgrade would be wasted.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** The Manager's list of applications; fails unless the deployer may use the text interface. */
    String list() {
        return requireOk(send(request("text/list", TIMEOUT).GET()));
    }

    /** Deploys {@code war} at {@code contextPath}, replacing what is there, and returns the Manager's answer. */
    String deploy(Path war, String contextPath) {
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(war);
        } catch (FileNotFoundException e) {
            throw new LauncherException(war + " does not exist", e);
        }
        return requireOk(send(request("text/deploy?path=" + encode(contextPath) + "&update=true", DEPLOY_TIMEOUT)
                .PUT(body)));
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(manager.resolve(path)).timeout(timeout).header("Authorization", authorization);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new LauncherException("the Manager at " + manager + " did not answer within "
                    + built.timeout().orElse(TIMEOUT).toSeconds() + " s");
        } catch (IOException e) {
            throw new LauncherException("the Manager at " + manager + " does not answer (" + e + "); is the topology"
                    + " running, with tierline run (the embedded one has no Managers)?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted", e);
        }
    }

    private String requireOk(HttpResponse<String> response) {
        return requireOk(response.statusCode(), response.body(), manager);
    }

    /**
     * The Manager's answer when it says {@code OK - }; otherwise fails with its first line, or with what the
     * HTTP status means for a Manager.
     */
    static String requireOk(int status, String body, URI manager) {
        String reason = switch (status) {
            case 200 -> body.startsWith("OK - ") ? null : firstLine(body);
            case 401 -> "the Manager refused the deployer's user or password (401)";
            case 403 -> "the Manager refused the deployer (403): it needs the role manager-script, and the Manager"
                    + " answers loopback clients on its own port only";
            case 404 -> "there is no Manager at " + manager + " (404)";
            default -> "the Manager answered HTTP " + status;
        };
        if (reason != null) {
            throw new LauncherException(reason);
        }
        return body;
    }

    private static String firstLine(String body) {
        String line = body.strip().lines().findFirst().orElse("");
        return line.isEmpty() ? "an empty answer" : line;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
