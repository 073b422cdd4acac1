package dev.tierline.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code tierline check FILE}: validates a web-tier configuration file with the web tier's own code, taken
 * from its WAR (unpacked beside the WAR, under the build's folder), without starting anything.
 */
final class ConfigCheckCommand {

    private ConfigCheckCommand() {
    }

    /** Prints every problem, or one line saying the file is valid; returns the exit status (0 when valid). */
    static int run(Path file, Distribution distribution, PrintStream out) {
        Path unpacked = distribution.proxyWar().resolveSibling("proxy-war-check");
        List<String> errors;
        try {
            unpack(distribution.proxyWar(), unpacked);
            try (URLClassLoader loader = new URLClassLoader(classpath(unpacked), ConfigCheckCommand.class.getClassLoader())) {
                Class<?> check = loader.loadClass("dev.tierline.proxy.config.ConfigCheck");
                @SuppressWarnings("unchecked")
                List<String> found = (List<String>) check.getMethod("check", Path.class)
                        .invoke(null, file.toAbsolutePath());
                errors = found;
            }
        } catch (IOException e) {
            throw new LauncherException("cannot read the web tier's WAR " + distribution.proxyWar() + ": " + e, e);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            throw new LauncherException("cannot run the configuration check: " + cause, e);
        }
        if (errors.isEmpty()) {
            out.println(file + ": valid");
            return 0;
        }
        errors.forEach(out::println);
        return 1;
    }

    private static void unpack(Path war, Path into) throws IOException {
        if (Files.exists(into)) {
            try (Stream<Path> old = Files.walk(into)) {
                old.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        try (ZipFile zip = new ZipFile(war.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                if (!entry.getName().startsWith("WEB-INF/") || entry.isDirectory()) {
                    continue;
                }
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the WAR's folder: " + entry.getName());
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static URL[] classpath(Path unpacked) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(url(unpacked.resolve("WEB-INF/classes")));
        Path lib = unpacked.resolve("WEB-INF/lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().forEach(jar -> urls.add(url(jar)));
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
