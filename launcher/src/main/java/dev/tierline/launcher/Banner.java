package dev.tierline.launcher;

import java.io.PrintStream;
import java.util.Optional;

/** What the launcher prints once the topology is up: where everything is. */
final class Banner {

    private Banner() {
    }

    /**
     * @param credentials the admin credentials, when this topology has a Manager
     */
    static void print(PrintStream out, Settings settings, Optional<Credentials> credentials, String container) {
        String host = settings.reachableWebHost();
        out.println();
        out.println("Tierline is up (" + container + ", Java " + Runtime.version() + ")");
        out.printf("  web tier    http://%s:%d/   https://%s:%d/  (self-signed certificate)%n",
                host, settings.httpPort(), host, settings.httpsPort());
        out.printf("  try         curl http://%s:%d/api/whoami%n", host, settings.httpPort());
        for (int port : settings.appPorts()) {
            out.printf("  app tier    http://%s:%d/  (%s)%n", Settings.APP_ADDRESS, port, Settings.instanceName(port));
        }
        if (credentials.isPresent()) {
            Credentials admin = credentials.get();
            out.printf("  manager     http://%s:%d/manager/html   http://%s:%d/manager/text/list%n",
                    host, settings.httpPort(), host, settings.httpPort());
            if (admin.generated()) {
                out.printf("  admin       user %s, password %s%n", admin.user(), admin.password());
                out.printf("              generated now and shown only this once; kept in %s%n", admin.file());
            } else if (admin.file() != null) {
                out.printf("  admin       user %s; password in %s%n", admin.user(), admin.file());
            } else {
                out.printf("  admin       user %s; password from TIERLINE_ADMIN_PASSWORD%n", admin.user());
            }
        }
        out.printf("  logs        %s%n", settings.runDir());
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }
}
