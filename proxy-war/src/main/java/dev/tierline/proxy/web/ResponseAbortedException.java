package dev.tierline.proxy.web;

import java.io.IOException;

/** Thrown to make the container cut off a response whose backend failed after it was committed. */
final class ResponseAbortedException extends IOException {

    private static final long serialVersionUID = 1L;

    ResponseAbortedException(String uri, String cause) {
        super("Response to " + uri + " cut off: the backend failed after the response had begun (" + cause + ")");
    }
}
