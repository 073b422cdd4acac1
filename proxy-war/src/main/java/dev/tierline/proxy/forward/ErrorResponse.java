package dev.tierline.proxy.forward;

import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** A complete response the proxy answers itself, such as a problem+json body for a failure. */
public record ErrorResponse(int status, String contentType, byte[] body) {

    /** RFC 9457 problem details. */
    public static final String PROBLEM_JSON = "application/problem+json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * An RFC 9457 problem ({@code type} about:blank, so the title is the status's reason phrase).
     *
     * @param instance the path of the request it answers
     * @param extensions further members, such as the request's id or a list of errors; none may be null
     */
    public static ErrorResponse problem(int status, String title, String detail, String instance,
            Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance);
        body.putAll(extensions);
        return new ErrorResponse(status, PROBLEM_JSON, JSON.writeValueAsBytes(body));
    }

    /**
     * Replaces whatever the response holds with this one's head, but for its HSTS policy, which holds for every
     * answer over HTTPS; the body is the caller's to write.
     */
    public void writeHead(HttpServletResponse response, String requestId) {
        String strictTransportSecurity = response.getHeader(STRICT_TRANSPORT_SECURITY);
        response.reset();
        if (strictTransportSecurity != null) {
            response.setHeader(STRICT_TRANSPORT_SECURITY, strictTransportSecurity);
        }
        addHead(response, requestId);
    }

    private static final String STRICT_TRANSPORT_SECURITY = "Strict-Transport-Security";

    /**
     * Sets this one's head on a response nothing else was written to, keeping the headers already set on it
     * (such as {@code Allow} or a challenge); the body is the caller's to write.
     */
    public void addHead(HttpServletResponse response, String requestId) {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(body.length);
        response.setHeader("Cache-Control", "no-store");
        if (requestId != null) {
            response.setHeader(RequestHeaders.REQUEST_ID, requestId);
        }
    }
}
