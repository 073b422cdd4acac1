package dev.tierline.proxy.config;

/** What an operator has decided for a backend, whatever its health. */
public enum AdminState {
    /** Takes requests while healthy. */
    ENABLED,
    /** Takes no new requests, affine ones included; the ones in flight finish. */
    DRAINING,
    /** Takes no requests at all. */
    DISABLED
}
