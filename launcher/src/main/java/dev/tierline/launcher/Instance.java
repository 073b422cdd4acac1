package dev.tierline.launcher;

import java.nio.file.Path;
import java.util.Map;

/**
 * One Tomcat of the topology: its CATALINA_BASE, and the TIERLINE_* properties its configuration files
 * read (as environment variables for a Tomcat process, or system properties).
 *
 * @param name "web", or the app-tier instance's name
 * @param base the CATALINA_BASE
 * @param properties the TIERLINE_* values for tomcat-conf's placeholders
 * @param readyUrl a URL that answers once this Tomcat serves requests
 */
public record Instance(String name, Path base, Map<String, String> properties, String readyUrl) {

    public Instance {
        properties = Map.copyOf(properties);
    }
}
