package dev.tierline.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The web tier's HTTPS certificate: a self-signed PKCS12 made with the running JDK's keytool at first
 * run, for localhost and the loopback addresses, with its password in a file beside it.
 *
 * @param file the PKCS12 keystore
 * @param passwordFile the file holding its password
 */
public record Keystore(Path file, Path passwordFile) {

    private static final String ALIAS = "tierline";

    /** The keystore in {@code tlsDir}, made now if it does not exist yet. */
    public static Keystore ensure(Path tlsDir) {
        Keystore keystore = in(tlsDir);
        if (!keystore.exists()) {
            keystore.generate();
        }
        return keystore;
    }

    /** The keystore of a run folder already prepared, which must exist; nothing is made. */
    public static Keystore existing(Path tlsDir) {
        Keystore keystore = in(tlsDir);
        if (!keystore.exists()) {
            throw new LauncherException("there is no " + keystore.file() + "; start the topology first (tierline run)");
        }
        return keystore;
    }

    private static Keystore in(Path tlsDir) {
        return new Keystore(tlsDir.resolve("web-tier.p12"), tlsDir.resolve("web-tier.p12.password"));
    }

    private boolean exists() {
        return Files.isRegularFile(file) && Files.isRegularFile(passwordFile);
    }

    /**
     * A TLS context that trusts this certificate alone: a client of the web tier's HTTPS port checks its chain
     * and host name as it would any other's, rather than trusting every certificate.
     */
    public SSLContext trustingIt() {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore keystore = KeyStore.getInstance("PKCS12");
            keystore.load(in, Files.readString(passwordFile).strip().toCharArray());
            Certificate certificate = keystore.getCertificate(ALIAS);
            if (certificate == null) {
                throw new LauncherException(file + " has no certificate '" + ALIAS + "'");
            }
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry(ALIAS, certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new LauncherException("cannot read the certificate in " + file + ": " + e.getMessage(), e);
        }
    }

    private void generate() {
        try {
            Files.deleteIfExists(file);
            Secrets.writeOwnerOnly(passwordFile, Secrets.random());
        } catch (IOException | UnsupportedOperationException e) {
            throw new LauncherException("cannot write " + passwordFile + ": " + e.getMessage(), e);
        }
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
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
