package dev.tierline.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The web tier's HTTPS certificate: a self-signed PKCS12 made with the running JDK's keytool at first
 * run, for localhost and the loopback addresses, with its password in a file beside it.
 *
 * @param file the PKCS12 keystore
 * @param passwordFile the file holding its password
 */
public record Keystore(Path file, Path passwordFile) {

    /** The keystore in {@code tlsDir}, made now if it does not exist yet. */
    public static Keystore ensure(Path tlsDir) {
        Keystore keystore = new Keystore(tlsDir.resolve("web-tier.p12"), tlsDir.resolve("web-tier.p12.password"));
        if (Files.isRegularFile(keystore.file()) && Files.isRegularFile(keystore.passwordFile())) {
            return keystore;
        }
        keystore.generate();
        return keystore;
    }

    private void generate() {
        try {
            Files.deleteIfExists(file);
            Secrets.writeOwnerOnly(passwordFile, Secrets.random());
        } catch (IOException | UnsupportedOperationException e) {
            throw new LauncherException("cannot write " + passwordFile + ": " + e.getMessage(), e);
        }
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", "tierline",
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=localhost, O=Tierline", "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
                "-validity", "825", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass:file", passwordFile.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new LauncherException("keytool could not make " + file + ": " + output.strip());
            }
        } catch (IOException e) {
            throw new LauncherException("cannot run " + keytool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted while making " + file, e);
        }
    }
}
