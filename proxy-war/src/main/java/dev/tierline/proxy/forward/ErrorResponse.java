package dev.tierline.proxy.forward;

/** A complete response the proxy answers itself, such as a problem+json body for a failure. */
public record ErrorResponse(int status, String contentType, byte[] body) {
}
