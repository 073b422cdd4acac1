package dev.tierline.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for the console's tests: Debian's chromium and chromium-driver, installed with apt-get when
 * they are missing (as root, or through sudo without a password), driven through Selenium.
 */
final class Browser {

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    /** The names Chromium (or Chrome) goes by on PATH, Debian's first. */
    private static final String[] BROWSERS = {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"};

    private Browser() {
    }

    /** Chromium, under a new empty profile in a new folder named after {@code name}, its driver's log beside it. */
    static ChromeDriver start(String name) throws Exception {
        ensureInstalled();
        Files.createDirectories(LauncherProcess.itDir());
        Path profile = Files.createTempDirectory(LauncherProcess.itDir(), name + "-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(find(BROWSERS).orElseThrow().toFile());
        // The run's certificate is self-signed; background-networking flags keep Chromium from calling out.
        options.setAcceptInsecureCerts(true);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--window-size=1400,900",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(find("chromedriver").orElseThrow().toFile())
                .withLogFile(profile.resolveSibling(name + "-chromedriver.log").toFile())
                .build();
        options.setPageLoadTimeout(Duration.ofSeconds(30));
        return new ChromeDriver(service, options);
    }

    /** Installs chromium and chromium-driver with apt-get unless both are on PATH; fails saying why it cannot. */
    static synchronized void ensureInstalled() throws IOException, InterruptedException {
        if (find(BROWSERS).isPresent() && find("chromedriver").isPresent()) {
            return;
        }
        List<String> prefix = new ArrayList<>();
        if (!isRoot()) {
            if (find("sudo").isEmpty() || run(List.of("sudo", "-n", "true"), Duration.ofSeconds(10), null) != 0) {
                throw new AssertionError("The console's browser tests need Debian's chromium and chromium-driver:"
                        + " install them (apt-get install chromium chromium-driver), or run the tests as root or"
                        + " with password-less sudo so that they install them");
            }
            prefix.add("sudo");
            prefix.add("-n");
        }
        Path log = LauncherProcess.itDir().resolve("chromium-install.log");
        List<String> update = new ArrayList<>(prefix);
        update.addAll(List.of("apt-get", "update"));
        List<String> install = new ArrayList<>(prefix);
        install.addAll(List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"));
        // A failed update may still leave package lists good enough to install from: the install decides.
        run(update, INSTALL_TIMEOUT, log);
        if (run(install, INSTALL_TIMEOUT, log) != 0 || find(BROWSERS).isEmpty() || find("chromedriver").isEmpty()) {
            throw new AssertionError("Installing chromium and chromium-driver failed; apt-get's output is in " + log);
        }
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String uid = new String(id.getInputStream().readAllBytes()).strip();
        return id.waitFor(10, TimeUnit.SECONDS) && uid.equals("0");
    }

    /** Runs {@code command}, its output appended to {@code log} (or dropped), and returns its exit status. */
    private static int run(List<String> command, Duration timeout, Path log) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        if (log == null) {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        } else {
            Files.createDirectories(log.getParent());
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /** The first of {@code names} that is an executable on PATH. */
    private static Optional<Path> find(String... names) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    Path candidate = Path.of(dir, name);
                    if (Files.isExecutable(candidate)) {
                        return Optional.of(candidate);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
