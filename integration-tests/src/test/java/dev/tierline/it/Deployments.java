package dev.tierline.it;

import java.nio.file.Path;
import java.util.Map;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The WARs the build produced, imported as they are, each given a context path and the
 * META-INF/context.xml parameters an operator would give it.
 */
final class Deployments {

    private Deployments() {
    }

    static int httpPort() {
        return Integer.parseInt(System.getProperty("tierline.it.httpPort"));
    }

    /** app-war at /{name}, with the test endpoints on. */
    static WebArchive app(String name) {
        return war("app-war.war", name, """
                <Context>
                  <Parameter name="tierline.instance" value="%s" override="false"/>
                  <Parameter name="tierline.testEndpoints" value="true" override="false"/>
                </Context>
                """.formatted(name));
    }

    /** proxy-war at /{name}, forwarding to {@code backends}. */
    static WebArchive proxy(String name, String backends, String responseTimeout) {
        return proxy(name, Map.of("tierline.backends", backends, "tierline.responseTimeout", responseTimeout,
                "tierline.connectTimeout", "PT2S"));
    }

    /** proxy-war at /{name} with these context parameters. */
    static WebArchive proxy(String name, Map<String, String> parameters) {
        StringBuilder context = new StringBuilder("<Context>\n");
        parameters.forEach((key, value) -> context.append("  <Parameter name=\"").append(key)
                .append("\" value=\"").append(value).append("\" override=\"false\"/>\n"));
        return war("proxy-war.war", name, context.append("</Context>\n").toString());
    }

    /** The app deployed as /app on the container under test. */
    static String appUrl() {
        return "http://127.0.0.1:" + httpPort() + "/app";
    }

    private static WebArchive war(String built, String name, String contextXml) {
        Path file = Path.of(System.getProperty("tierline.distribution.dir"), "wars", built);
        WebArchive imported = ShrinkWrap.createFromZipFile(WebArchive.class, file.toFile());
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .merge(imported)
                .addAsManifestResource(new StringAsset(contextXml), "context.xml");
    }
}
