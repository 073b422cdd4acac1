package dev.tierline.proxy.forward;

import jakarta.servlet.http.HttpServletResponse;

/** A complete response the proxy answers itself, such as a problem+json body for a failure. */
public record ErrorResponse(int status, String contentType, byte[] body) {

    /** Replaces whatever the response holds with this one's head; the body is the caller's to write. */
    public void writeHead(HttpServletResponse response, String requestId) {
        response.reset();
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(body.length);
        response.setHeader("Cache-Control", "no-store");
        if (requestId != null) {
            response.setHeader(RequestHeaders.REQUEST_ID, requestId);
        }
    }
}
