package dev.tierline.launcher;

import dev.tierline.launcher.AdminApiClient.Backend;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * {@code tierline redeploy WAR}: a new app-war on every app instance of the running topology, one instance at a
 * time, so that the web tier always has another to send requests to (see {@link InstanceRedeploy}). Everything
 * it can check is checked before anything changes: the WAR, the admin API and every Manager.
 */
final class RedeployCommand {

    /**
     * @param drainTimeout how long an instance's requests in flight may take to finish
     * @param healthTimeout how long an instance may take to be healthy once deployed
     * @param adminPath the web tier's admin path, as TIERLINE_ADMIN_PATH gave it to the web tier
     */
    record Options(Duration drainTimeout, Duration healthTimeout, String adminPath) {

        static Options fromEnvironment(Map<String, String> env) {
            String adminPath = env.getOrDefault("TIERLINE_ADMIN_PATH", "/_admin").strip();
            if (!adminPath.startsWith("/") || adminPath.endsWith("/")) {
                throw new LauncherException("TIERLINE_ADMIN_PATH must start with '/' and not end with one, not '"
                        + adminPath + "'");
            }
            return new Options(seconds(env, "TIERLINE_REDEPLOY_DRAIN_TIMEOUT"),
                    seconds(env, "TIERLINE_REDEPLOY_HEALTH_TIMEOUT"), adminPath);
        }

        private static Duration seconds(Map<String, String> env, String name) {
            String value = env.getOrDefault(name, "60").strip();
            try {
                int seconds = Integer.parseInt(value);
                if (seconds >= 1 && seconds <= 3600) {
                    return Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new LauncherException(name + " must be a number of seconds from 1 to 3600, not '" + value + "'");
        }
    }

    private final Settings settings;
    private final Options options;
    private final PrintStream out;
    private final PrintStream err;

    /** @param out where the progress goes, one line per step; {@code err} gets the line that says why it stopped */
    RedeployCommand(Settings settings, Options options, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /**
     * Redeploys {@code war} to each instance in turn. A problem found before anything changed is thrown; one
     * found on the way is printed as one line naming the instance and how it was left, and gives status 1.
     */
    int run(Path war) {
        requireWar(war);
        Keystore keystore = Keystore.existing(settings.runDir().resolve("tls"));
        URI api = URI.create("https://" + settings.reachableWebHost() + ":" + settings.httpsPort()
                + options.adminPath() + "/api/");
        AdminApiClient admin = new AdminApiClient(api, Credentials.existingAdmin(settings), keystore.trustingIt());
        Credentials deployer = Credentials.existingDeployer(settings);

        List<Backend> status = admin.status();
        List<InstanceRedeploy> instances = new ArrayList<>();
        for (int port : settings.appPorts()) {
            ManagerClient manager = new ManagerClient(URI.create("http://" + Settings.APP_ADDRESS + ":"
                    + settings.managerPort(port) + "/manager/"), deployer);
            check(Settings.instanceName(port), manager::list);
            instances.add(new InstanceRedeploy(port, backendsOf(port, status), admin, manager, options, out));
        }
        // Instances that serve no requests now (left draining by an earlier run, say) cost nothing to take first.
        instances.sort(Comparator.comparing(InstanceRedeploy::serves));

        out.println("Redeploying " + war.getFileName() + " to "
                + String.join(", ", instances.stream().map(InstanceRedeploy::name).toList()) + ", one at a time");
        List<String> done = new ArrayList<>();
        InstanceRedeploy[] current = new InstanceRedeploy[1];
        // Stopped half-way (Ctrl-C), it still says which instance it leaves draining.
        Thread interrupted = new Thread(() -> err.println("tierline: " + current[0].name() + ": stopped while "
                + current[0].step() + "; " + leftAs(current[0])), "tierline-redeploy-stopped");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            for (InstanceRedeploy instance : instances) {
                current[0] = instance;
                try {
                    instance.run(war);
                } catch (LauncherException e) {
                    out.flush();
                    err.println("tierline: " + instance.name() + ": " + instance.step() + " failed: "
                            + e.getMessage() + "; " + leftAs(instance) + (done.isEmpty() ? ""
                            : " (already redeployed: " + String.join(", ", done) + ")"));
                    err.flush();
                    return 1;
                }
                done.add(instance.name());
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook says where it stopped.
            }
        }
        out.println("Redeployed " + war.getFileName() + " to " + String.join(", ", done));
        out.flush();
        return 0;
    }

    /** Fails before anything changes unless {@code war} is a readable, non-empty zip file. */
    static void requireWar(Path war) {
        if (!Files.isRegularFile(war)) {
            throw new LauncherException(war + " does not exist or is not a file");
        }
        try (ZipFile zip = new ZipFile(war.toFile())) {
            if (zip.size() == 0) {
                throw new LauncherException(war + " is not a WAR: it is an empty zip file");
            }
        } catch (ZipException e) {
            throw new LauncherException(war + " is not a WAR: it is not a zip file");
        } catch (IOException e) {
            throw new LauncherException("cannot read " + war + ": " + e.getMessage(), e);
        }
    }

    /** The backends, in every cluster, that are the app instance on {@code port}. */
    static List<Backend> backendsOf(int port, List<Backend> status) {
        return status.stream().filter(backend -> isInstance(backend.url(), port)).toList();
    }

    private static boolean isInstance(String url, int port) {
        try {
            URI uri = URI.create(url);
            return "http".equals(uri.getScheme()) && uri.getPort() == port
                    && (Settings.APP_ADDRESS.equals(uri.getHost()) || "localhost".equals(uri.getHost()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String leftAs(InstanceRedeploy instance) {
        return switch (instance.standing()) {
            case UNTOUCHED -> "nothing was changed on " + instance.name();
            case DRAINING -> instance.name() + " is left draining and gets no new requests; a new redeploy takes it"
                    + " first, or enable it through the admin API";
            case ENABLED -> instance.name() + " is enabled again";
        };
    }

    private static void check(String what, Runnable call) {
        try {
            call.run();
        } catch (LauncherException e) {
            throw new LauncherException(what + ": " + e.getMessage() + "; nothing was changed", e);
        }
    }
}
