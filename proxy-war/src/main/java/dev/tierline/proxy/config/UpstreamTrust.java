package dev.tierline.proxy.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates the web tier trusts for backends named {@code https://}, instead of the JDK's: a PKCS12 (or
 * JKS) trust store holding the app tier's certificate or the CA that signed it, with its password in a file so
 * that it never appears in a configuration. Host names are checked against the certificates all the same.
 *
 * @param file the trust store
 * @param passwordFile the file holding its password (its first line)
 */
public record UpstreamTrust(Path file, Path passwordFile) {

    /**
     * A TLS context that trusts this store's certificates alone.
     *
     * @throws IOException when a file cannot be read, or the store cannot be opened with the password
     * @throws GeneralSecurityException when the store holds nothing usable
     */
    public SSLContext sslContext() throws IOException, GeneralSecurityException {
        char[] password = Files.readString(passwordFile).lines().findFirst().orElse("").strip().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        if (store.size() == 0) {
            throw new GeneralSecurityException("it holds no certificate");
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
