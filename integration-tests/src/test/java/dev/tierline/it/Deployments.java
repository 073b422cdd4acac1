package dev.tierline.it;

import java.nio.file.Path;
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
        return war("proxy-war.war", name, """
                <Context>
                  <Parameter name="tierline.backends" value="%s" override="false"/>
                  <Parameter name="tierline.responseTimeout" value="%s" override="false"/>
                  <Parameter name="tierline.connectTimeout" value="PT2S" override="false"/>
                </Context>
                """.formatted(backends, responseTimeout));
    }

    private static WebArchive war(String built, String name, String contextXml) {
        Path file = Path.of(System.getProperty("tierline.distribution.dir"), "wars", built);
        WebArchive imported = ShrinkWrap.createFromZipFile(WebArchive.class, file.toFile());
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .merge(imported)
                .addAsManifestResource(new StringAsset(contextXml), "context.xml");
    }
}
