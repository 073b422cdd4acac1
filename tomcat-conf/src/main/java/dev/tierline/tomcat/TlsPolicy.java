package dev.tierline.tomcat;

/**
 * The web tier's TLS, as its server.xml sets it on the HTTPS connector, for the embedded topology to set the
 * same: TLS 1.2 and 1.3 only, and forward-secret AEAD cipher suites alone (Mozilla's "intermediate" profile,
 * less its DHE suites), in the server's order of preference.
 */
public final class TlsPolicy {

    public static final String PROTOCOLS = "TLSv1.2+TLSv1.3";

    /** JSSE names: TLS 1.3's three, then TLS 1.2's ECDHE suites with AES-GCM or ChaCha20-Poly1305. */
    public static final String CIPHERS = "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";

    private TlsPolicy() {
    }
}
