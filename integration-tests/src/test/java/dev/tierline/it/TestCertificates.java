package dev.tierline.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for 127.0.0.1 made with the running JDK's keytool, for a backend that speaks TLS,
 * and a trust store holding it alone, with its password in a file, for the proxy to be configured with.
 *
 * @param keyStore the backend's key and certificate (PKCS12)
 * @param trustStore the certificate alone (PKCS12)
 * @param passwordFile both stores' password
 */
record TestCertificates(Path keyStore, Path trustStore, Path passwordFile) {

    private static final String PASSWORD = "test-only-password";

    static TestCertificates make(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path keyStore = dir.resolve(name + ".p12");
            Path trustStore = dir.resolve(name + "-trust.p12");
            Path passwordFile = dir.resolve(name + ".password");
            Files.deleteIfExists(keyStore);
            Files.writeString(passwordFile, PASSWORD + "\n");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keys = load(keyStore);
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry(name, keys.getCertificate(name));
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trusted.store(out, PASSWORD.toCharArray());
            }
            return new TestCertificates(keyStore, trustStore, passwordFile);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    /** A server's TLS context with the certificate. */
    SSLContext serverContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(keyStore), PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
