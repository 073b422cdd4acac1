package dev.tierline.launcher;

import java.io.PrintStream;
import java.util.Optional;

/** What the launcher prints once the topology is up: where everything is. */
final class Banner {

    private Banner() {
    }

    /**
     * @param admin the user of the admin console
     * @param managed the prepared run folder, when this topology has the Managers (not in the embedded mode)
     */
    static void print(PrintStream out, Settings settings, Credentials admin, Optional<Prepared> managed,
            String container) {
        String host = settings.reachableWebHost();
        out.println();
        out.println("Tierline is up (" + container + ", Java " + Runtime.version() + ")");
        out.printf("  web tier    http://%s:%d/   https://%s:%d/  (self-signed certificate)%n",
                host, settings.httpPort(), host, settings.httpsPort());
        out.printf("  try         curl http://%s:%d/api/whoami%n", host, settings.httpPort());
        for (int port : settings.appPorts()) {
            out.printf("  app tier    http://%s:%d/  (%s)%n", Settings.APP_ADDRESS, port, Settings.instanceName(port));
        }
        out.printf("  console     https://%s:%d/_admin/%n", host, settings.httpsPort());
        printUser(out, "admin", admin, "TIERLINE_ADMIN_PASSWORD");
        if (managed.isPresent()) {
            out.printf("  manager     http://%s:%d/manager/html   http://%s:%d/manager/text/list%n",
                    host, settings.httpPort(), host, settings.httpPort());
            for (int port : settings.appPorts()) {
                out.printf("              http://%s:%d/manager/html  (%s)%n", Settings.APP_ADDRESS,
                        settings.managerPort(port), Settings.instanceName(port));
            }
            printUser(out, "deployer", managed.get().deployer(), "TIERLINE_DEPLOYER_PASSWORD");
            out.printf("  redeploy    tierline redeploy app-war/target/app-war.war  (one app instance at a time)%n");
        }
        out.printf("  logs        %s%n", settings.runDir());
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private static void printUser(PrintStream out, String role, Credentials user, String variable) {
        String label = String.format("  %-12s", role);
        if (user.generated()) {
            out.printf("%suser %s, password %s%n", label, user.user(), user.password());
            out.printf("              generated now and shown only this once; kept in %s%n", user.file());
        } else if (user.file() != null) {
            out.printf("%suser %s; password in %s%n", label, user.user(), user.file());
        } else {
            out.printf("%suser %s; password from %s%n", label, user.user(), variable);
        }
    }
}
