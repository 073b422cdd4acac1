package dev.tierline.launcher;

import java.util.List;

/**
 * {@code tierline run [--embedded]}, {@code prepare}, {@code check FILE} and {@code redeploy WAR}: the launcher's
 * command line.
 */
public final class Main {

    private static final String USAGE = """
            usage: tierline run              start the whole topology on the Tomcat distribution
                   tierline run --embedded   start it in this JVM on embedded Tomcat (for IDE use)
                   tierline prepare          write the run folder (credentials, certificate, CATALINA_BASEs)
                   tierline check FILE       validate a web-tier configuration file (TIERLINE_CONFIG) and exit
                   tierline redeploy WAR     deploy WAR to each app instance of the running topology in turn:
                                             drain it, deploy through its Manager, wait until healthy, enable
            Settings come from TIERLINE_* environment variables; see the README.""";

    private Main() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(List.of(args));
        } catch (LauncherException e) {
            System.err.println("tierline: " + e.getMessage());
            status = 2;
        } catch (RuntimeException e) {
            System.err.println("tierline: unexpected failure: " + e);
            status = 1;
        }
        System.exit(status);
    }

    static int run(List<String> args) {
        String command = args.isEmpty() ? "run" : args.get(0);
        List<String> options = args.isEmpty() ? List.of() : args.subList(1, args.size());
        switch (command) {
            case "run" -> {
                requireOptions(options, List.of("--embedded"));
                Settings settings = Settings.fromEnvironment(System.getenv());
                Distribution distribution = Distribution.locate();
                if (options.contains("--embedded")) {
                    return new EmbeddedTopology(System.out).run(settings, distribution);
                }
                return new ProcessTopology(System.out).run(settings, distribution);
            }
            case "prepare" -> {
                requireOptions(options, List.of());
                Prepared prepared = Prepared.prepare(Settings.fromEnvironment(System.getenv()), Distribution.locate());
                System.out.println("Prepared " + prepared.settings().runDir());
                return 0;
            }
            case "check" -> {
                if (options.size() != 1) {
                    throw new LauncherException("usage: tierline check FILE");
                }
                return ConfigCheckCommand.run(java.nio.file.Path.of(options.get(0)), Distribution.locate(), System.out);
            }
            case "redeploy" -> {
                if (options.size() != 1 || options.get(0).startsWith("-")) {
                    throw new LauncherException("usage: tierline redeploy WAR");
                }
                return new RedeployCommand(Settings.fromEnvironment(System.getenv()),
                        RedeployCommand.Options.fromEnvironment(System.getenv()), System.out, System.err)
                        .run(java.nio.file.Path.of(options.get(0)));
            }
            case "help", "--help", "-h" -> {
                System.out.println(USAGE);
                return 0;
            }
            default -> throw new LauncherException("unknown command '" + command + "'; 'tierline help' lists them");
        }
    }

    private static void requireOptions(List<String> options, List<String> allowed) {
        for (String option : options) {
            if (!allowed.contains(option)) {
                throw new LauncherException("unknown option '" + option + "'; allowed: " + allowed);
            }
        }
    }
}
