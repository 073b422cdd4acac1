package dev.tierline.launcher;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the build laid out beside the launcher's jar: the Tomcat distribution and the two WARs.
 *
 * @param tomcatHome the unpacked Tomcat distribution, used as CATALINA_HOME
 * @param proxyWar the web tier's WAR
 * @param appWar the app tier's WAR
 */
public record Distribution(Path tomcatHome, Path proxyWar, Path appWar) {

    /** Finds the layout beside the jar (or classes folder) this class was loaded from. */
    public static Distribution locate() {
        Path codeSource;
        try {
            codeSource = Path.of(Distribution.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new LauncherException("cannot tell where the launcher was started from", e);
        }
        return in(codeSource.getParent());
    }

    /** The layout in {@code dir}, as the launcher module's build makes it in its target folder. */
    public static Distribution in(Path dir) {
        Path proxyWar = dir.resolve("wars/proxy-war.war");
        Path appWar = dir.resolve("wars/app-war.war");
        for (Path war : new Path[] {proxyWar, appWar}) {
            if (!Files.isRegularFile(war)) {
                throw new LauncherException(war + " is missing; build first: mvn -DskipTests package");
            }
        }
        Path tomcatHome;
        try (Stream<Path> entries = Files.list(dir)) {
            tomcatHome = entries.filter(p -> p.getFileName().toString().startsWith("apache-tomcat-"))
                    .filter(p -> Files.isRegularFile(p.resolve("bin/catalina.sh")))
                    .findFirst()
                    .orElseThrow(() -> new LauncherException("no Tomcat distribution (apache-tomcat-*) in " + dir
                            + "; build first: mvn -DskipTests package"));
        } catch (IOException e) {
            throw new LauncherException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        return new Distribution(tomcatHome, proxyWar, appWar);
    }

    /** The distribution's version, from its folder name. */
    public String tomcatVersion() {
        return tomcatHome.getFileName().toString().substring("apache-tomcat-".length());
    }
}
