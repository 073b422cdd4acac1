package dev.tierline.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.tomcat.util.net.jsse.PEMFile;

/**
 * The web tier's HTTPS certificate and key, in a PKCS12 keystore with its password in a file beside it: one
 * packed at each start from PEM files given in the environment (TIERLINE_TLS_CERTIFICATE, the chain, and
 * TIERLINE_TLS_KEY, an unencrypted PKCS#8, PKCS#1 or SEC 1 key, as Let's Encrypt and openssl write them),
 * or else a PKCS12 already in the run folder's tls/, or else, for local runs, a self-signed one made with the
 * running JDK's keytool at first run, for localhost and the loopback addresses.
 *
 * @param file the PKCS12 keystore
 * @param passwordFile the file holding its password
 */
public record Keystore(Path file, Path passwordFile) {

    private static final String ALIAS = "tierline";

    /** PEM files of a certificate chain (the server's own first) and of its private key. */
    public record Pem(Path certificate, Path key) {
    }

    /**
     * The keystore in {@code tlsDir}: packed now from {@code pem} when given, else made now if it does not
     * exist yet.
     */
    public static Keystore ensure(Path tlsDir, Optional<Pem> pem) {
        Keystore keystore = in(tlsDir);
        if (pem.isPresent()) {
            keystore.pack(pem.get());
        } else if (!keystore.exists()) {
            keystore.generate("CN=localhost, O=Tierline", "SAN=dns:localhost,ip:127.0.0.1,ip:::1");
        }
        return keystore;
    }

    /**
     * The app tier's certificate, for its HTTPS port (TIERLINE_UPSTREAM_TLS): self-signed for 127.0.0.1, where
     * the web tier reaches it, made in {@code tlsDir} if it does not exist yet.
     */
    public static Keystore ensureAppTier(Path tlsDir) {
        Keystore keystore = new Keystore(tlsDir.resolve("app-tier.p12"), tlsDir.resolve("app-tier.p12.password"));
        if (!keystore.exists()) {
            keystore.generate("CN=127.0.0.1, O=Tierline", "SAN=ip:127.0.0.1");
        }
        return keystore;
    }

    /**
     * Writes a trust store holding this keystore's certificate alone, beside it and with the same password, for
     * the web tier to check the app tier against; returns it.
     */
    public Keystore trustStore() {
        Keystore trust = new Keystore(file.resolveSibling(file.getFileName().toString().replace(".p12", "-trust.p12")),
                passwordFile);
        KeyStore trusted = certificateAlone();
        try (OutputStream out = Files.newOutputStream(trust.file())) {
            trusted.store(out, Files.readString(passwordFile).strip().toCharArray());
            return trust;
        } catch (IOException | GeneralSecurityException e) {
            throw new LauncherException("cannot write a trust store of " + file + ": " + e.getMessage(), e);
        }
    }

    /** A key store holding this one's certificate alone, as a trusted certificate. */
    private KeyStore certificateAlone() {
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
            return trusted;
        } catch (IOException | GeneralSecurityException e) {
            throw new LauncherException("cannot read the certificate in " + file + ": " + e.getMessage(), e);
        }
    }

    private void pack(Pem pem) {
        List<X509Certificate> chain = read("TIERLINE_TLS_CERTIFICATE", pem.certificate()).getCertificates();
        PrivateKey key = read("TIERLINE_TLS_KEY", pem.key()).getPrivateKey();
        if (chain.isEmpty()) {
            throw new LauncherException("TIERLINE_TLS_CERTIFICATE: " + pem.certificate() + " holds no certificate");
        }
        if (key == null) {
            throw new LauncherException("TIERLINE_TLS_KEY: " + pem.key() + " holds no private key");
        }
        if (!matches(key, chain.get(0))) {
            throw new LauncherException("TIERLINE_TLS_KEY: " + pem.key() + " is not the key of the first certificate in "
                    + pem.certificate());
        }
        try {
            String password = Secrets.random();
            Secrets.writeOwnerOnly(passwordFile, password);
            KeyStore keystore = KeyStore.getInstance("PKCS12");
            keystore.load(null, null);
            keystore.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(new Certificate[0]));
            Path partial = file.resolveSibling(file.getFileName() + ".new");
            try (OutputStream out = Files.newOutputStream(partial)) {
                keystore.store(out, password.toCharArray());
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | GeneralSecurityException | UnsupportedOperationException e) {
            throw new LauncherException("cannot write " + file + " from " + pem.certificate() + ": " + e.getMessage(), e);
        }
    }

    private static PEMFile read(String variable, Path file) {
        if (!Files.isReadable(file)) {
            throw new LauncherException(variable + ": cannot read " + file);
        }
        try {
            return new PEMFile(file.toString());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new LauncherException(variable + ": " + file + " is not a PEM file this can read: " + e.getMessage(), e);
        }
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = "tierline".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
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
        KeyStore trusted = certificateAlone();
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new LauncherException("cannot trust the certificate in " + file + ": " + e.getMessage(), e);
        }
    }

    private void generate(String name, String alternativeNames) {
        try {
            Files.deleteIfExists(file);
            Secrets.writeOwnerOnly(passwordFile, Secrets.random());
        } catch (IOException | UnsupportedOperationException e) {
            throw new LauncherException("cannot write " + passwordFile + ": " + e.getMessage(), e);
        }
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", name, "-ext", alternativeNames,
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
