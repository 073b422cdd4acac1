package dev.tierline.proxy.forward;

import java.io.IOException;

/** An I/O failure on the client's side of the proxy, told apart from the backend's failures. */
final class ClientStreamException extends IOException {

    private static final long serialVersionUID = 1L;

    ClientStreamException(IOException cause) {
        super(cause.getMessage(), cause);
    }
}
