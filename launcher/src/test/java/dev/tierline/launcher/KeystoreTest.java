package dev.tierline.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeystoreTest {

    @TempDir
    Path dir;

    private record Entry(Key key, Certificate certificate) {
    }

    private static Entry entry(Keystore keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        char[] password = Files.readString(keystore.passwordFile()).strip().toCharArray();
        try (InputStream in = Files.newInputStream(keystore.file())) {
            store.load(in, password);
        }
        String alias = store.aliases().nextElement();
        return new Entry(store.getKey(alias, password), store.getCertificate(alias));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** PEM files of a self-signed certificate and key made by keytool, as openssl or certbot would write them. */
    private Keystore.Pem pemOf(Entry entry, String name) throws Exception {
        Path certificate = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Files.writeString(certificate, pem("CERTIFICATE", entry.certificate().getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", entry.key().getEncoded()));
        return new Keystore.Pem(certificate, key);
    }

    @Test
    void pemFiles_arePackedIntoTheKeystoreTomcatReads() throws Exception {
        Entry made = entry(Keystore.ensure(dir.resolve("made"), Optional.empty()));
        Keystore.Pem pem = pemOf(made, "site");

        Keystore packed = Keystore.ensure(dir.resolve("tls"), Optional.of(pem));

        Entry read = entry(packed);
        assertEquals(made.certificate(), read.certificate());
        assertArrayEquals(made.key().getEncoded(), read.key().getEncoded());
    }

    @Test
    void aKeyThatIsNotTheCertificates_isReportedByVariable_andNothingIsWritten() throws Exception {
        Entry one = entry(Keystore.ensure(dir.resolve("one"), Optional.empty()));
        Entry other = entry(Keystore.ensure(dir.resolve("other"), Optional.empty()));
        Keystore.Pem mixed = new Keystore.Pem(pemOf(one, "one").certificate(), pemOf(other, "other").key());

        LauncherException e = assertThrows(LauncherException.class,
                () -> Keystore.ensure(dir.resolve("tls"), Optional.of(mixed)));

        assertTrue(e.getMessage().startsWith("TIERLINE_TLS_KEY: "), e.getMessage());
        assertTrue(e.getMessage().contains("is not the key of the first certificate"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("tls").resolve("web-tier.p12")));
    }

    @Test
    void aFileThatIsNotPem_isReportedByVariable() throws Exception {
        Path garbage = dir.resolve("garbage.crt");
        Files.writeString(garbage, "not a certificate\n");
        Entry one = entry(Keystore.ensure(dir.resolve("one"), Optional.empty()));

        LauncherException e = assertThrows(LauncherException.class, () -> Keystore.ensure(dir.resolve("tls"),
                Optional.of(new Keystore.Pem(garbage, pemOf(one, "one").key()))));

        assertTrue(e.getMessage().startsWith("TIERLINE_TLS_CERTIFICATE: " + garbage), e.getMessage());
    }
}
