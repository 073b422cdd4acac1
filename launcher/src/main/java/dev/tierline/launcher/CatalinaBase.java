package dev.tierline.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Makes a CATALINA_BASE from tomcat-conf: the distribution's default files (web.xml, context.xml,
 * catalina.properties), tomcat-conf's files for the tier on top, tomcat-conf's jar in lib/, and the tier's
 * WAR as webapps/ROOT.war.
 * Logs survive a new run; configuration, the WAR and Tomcat's work files are replaced.
 */
public final class CatalinaBase {

    /** Files of the distribution's conf folder that tomcat-conf does not replace. */
    private static final List<String> DEFAULT_CONF = List.of(
            "catalina.properties", "context.xml", "web.xml", "jaspic-providers.xml");

    private CatalinaBase() {
    }

    /**
     * @param dir the CATALINA_BASE to write
     * @param tier "web" or "app", a folder of tomcat-conf
     * @param tomcatHome the distribution
     * @param war the WAR to deploy as ROOT
     */
    public static Path create(Path dir, String tier, Path tomcatHome, Path war) {
        try {
            deleteTree(dir.resolve("work"));
            deleteTree(dir.resolve("webapps"));
            deleteTree(dir.resolve("conf"));
            deleteTree(dir.resolve("lib"));
            for (String sub : List.of("conf", "logs", "temp", "work", "webapps", "bin")) {
                Files.createDirectories(dir.resolve(sub));
            }
            for (String name : DEFAULT_CONF) {
                Path source = tomcatHome.resolve("conf").resolve(name);
                if (Files.isRegularFile(source)) {
                    Files.copy(source, dir.resolve("conf").resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            copyTomcatConf(tier, dir);
            Files.createDirectories(dir.resolve("lib"));
            Files.copy(tomcatConfJar(), dir.resolve("lib/tomcat-conf.jar"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(war, dir.resolve("webapps/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new LauncherException("cannot write CATALINA_BASE " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /**
     * Switches on the app tier's HTTPS connector in {@code base}'s server.xml (TIERLINE_UPSTREAM_TLS): tomcat-conf
     * ships it inside a comment marked {@code <!--tls ... tls-->}, since server.xml has no switch for a connector.
     */
    static void enableAppTls(Path base) {
        Path serverXml = base.resolve("conf/server.xml");
        try {
            String text = Files.readString(serverXml);
            String enabled = text.replace("    <!--tls\n", "").replace("    tls-->\n", "");
            if (enabled.length() != text.length() - "    <!--tls\n".length() - "    tls-->\n".length()) {
                throw new LauncherException(serverXml + " has no HTTPS connector marked <!--tls ... tls--> to switch on");
            }
            Files.writeString(serverXml, enabled);
        } catch (IOException e) {
            throw new LauncherException("cannot switch on HTTPS in " + serverXml + ": " + e.getMessage(), e);
        }
    }

    /** Copies tomcat-conf's folder for {@code tier} from the class path, in a jar or a folder. */
    private static void copyTomcatConf(String tier, Path dir) throws IOException {
        String marker = "tomcat-conf/" + tier + "/conf/server.xml";
        URL url = CatalinaBase.class.getClassLoader().getResource(marker);
        if (url == null) {
            throw new LauncherException(marker + " is not on the class path; build tomcat-conf first");
        }
        URI uri;
        try {
            uri = url.toURI();
        } catch (URISyntaxException e) {
            throw new LauncherException("cannot read " + url, e);
        }
        if (uri.getScheme().equals("jar")) {
            try (FileSystem jar = openJar(uri)) {
                copyTree(jar.getPath("/tomcat-conf/" + tier), dir);
            }
        } else {
            copyTree(Path.of(uri).getParent().getParent(), dir);
        }
    }

    /** The tomcat-conf jar, whose error report valve each base's server.xml names; it goes in lib/. */
    static Path tomcatConfJar() {
        URL url = CatalinaBase.class.getClassLoader().getResource("dev/tierline/tomcat/ProblemJsonErrorReportValve.class");
        if (url == null || !url.getProtocol().equals("jar")) {
            throw new LauncherException("tomcat-conf's jar is not on the class path; build it first: mvn -DskipTests package");
        }
        String file = url.getPath().substring(0, url.getPath().indexOf("!/"));
        try {
            return Path.of(new URI(file));
        } catch (URISyntaxException e) {
            throw new LauncherException("cannot read " + file, e);
        }
    }

    private static FileSystem openJar(URI uri) throws IOException {
        try {
            return FileSystems.newFileSystem(uri, Map.of());
        } catch (java.nio.file.FileSystemAlreadyExistsException e) {
            throw new IllegalStateException("tomcat-conf's jar is already open", e);
        } catch (FileSystemNotFoundException e) {
            throw new LauncherException("cannot open " + uri, e);
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(path, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
