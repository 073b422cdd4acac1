package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin console in real headless Chromium, on the run command's topology: an operator logs in, sees both app
 * instances, drains one while it has requests in flight, watches its in-flight count fall to 0, and enables it.
 */
class ConsoleTopologyIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int SLOW_REQUESTS = 6;
    private static final long SLOW_MS = 8000;

    private static Topology topology;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Browser.ensureInstalled();
        topology = Topology.start("console-topology", Map.of("TIERLINE_JAVA_OPTS", "-Xmx256m"));
        browser = Browser.start("console-chromium");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            Topology.stop(topology);
        }
    }

    @Test
    void anOperator_logsIn_drainsABackendWithRequestsInFlight_watchesThemFinish_andEnablesIt() throws Exception {
        Properties credentials = new Properties();
        try (Reader reader = Files.newBufferedReader(topology.runDir.resolve("credentials.properties"))) {
            credentials.load(reader);
        }
        String console = "https://127.0.0.1:" + Topology.HTTPS + "/_admin/";

        browser.get(console);
        waitUntil("the login form", () -> browser.getCurrentUrl().endsWith("/_admin/login"));
        browser.findElement(By.id("username")).sendKeys(credentials.getProperty("user"));
        browser.findElement(By.id("password")).sendKeys(credentials.getProperty("password"));
        browser.findElement(By.id("submit")).click();
        waitUntil("both app instances on the console", () -> rows().size() == 2);
        assertEquals(console, browser.getCurrentUrl());

        // Slow requests through the web tier, so that each instance has some in flight.
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < SLOW_REQUESTS; i++) {
            slow.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Topology.HTTP
                    + "/api/test/delay?ms=" + SLOW_MS)).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()));
        }
        String busy = waitFor("an instance with requests in flight", () -> {
            for (WebElement row : rows()) {
                if (Integer.parseInt(cell(row, "inFlight")) > 0) {
                    return row.getAttribute("data-backend");
                }
            }
            return null;
        });

        button(busy, "drain").click();
        waitUntil(busy + " draining", () -> cell(row(busy), "state").equals("draining"));
        List<Integer> seen = new ArrayList<>();
        waitUntil(busy + "'s in-flight count at 0", () -> {
            int inFlight = Integer.parseInt(cell(row(busy), "inFlight"));
            if (seen.isEmpty() || seen.get(seen.size() - 1) != inFlight) {
                seen.add(inFlight);
            }
            return inFlight == 0;
        });
        assertTrue(seen.get(0) > 0, "the count was shown before it fell: " + seen);
        for (CompletableFuture<HttpResponse<String>> request : slow) {
            assertEquals(200, request.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode());
        }

        button(busy, "enable").click();
        waitUntil(busy + " healthy again", () -> cell(row(busy), "state").equals("healthy"));
        waitUntil("the drain in the list of changes", () -> browser.findElement(By.id("audit")).getText()
                .contains(credentials.getProperty("user") + " from 127.0.0.1: drain app/" + busy + " (enabled"));
        assertTrue(browser.findElement(By.id("message")).getText().startsWith("enable " + busy + ": done"),
                browser.findElement(By.id("message")).getText());
        Files.write(LauncherProcess.itDir().resolve("console.png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#clusters tr[data-backend]"));
    }

    private static WebElement row(String backend) {
        return browser.findElement(By.cssSelector("#clusters tr[data-backend='" + backend + "']"));
    }

    private static String cell(WebElement row, String field) {
        return row.findElement(By.cssSelector("td[data-field='" + field + "']")).getText().strip();
    }

    private static WebElement button(String backend, String operation) {
        return row(backend).findElement(By.cssSelector("button[data-operation='" + operation + "']"));
    }

    private interface Check<T> {
        T get() throws Exception;
    }

    /** The first non-null value of {@code check} within the timeout; the page re-renders, so stale reads retry. */
    private static <T> T waitFor(String what, Check<T> check) {
        return new WebDriverWait(browser, TIMEOUT, Duration.ofMillis(100)).withMessage(() -> "waiting for " + what + "; the page is "
                + browser.getCurrentUrl() + ":\n" + browser.findElement(By.tagName("body")).getText())
                .ignoring(StaleElementReferenceException.class).ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(driver -> {
                    try {
                        return check.get();
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    private static void waitUntil(String what, Check<Boolean> check) {
        waitFor(what, () -> check.get() ? Boolean.TRUE : null);
    }
}
