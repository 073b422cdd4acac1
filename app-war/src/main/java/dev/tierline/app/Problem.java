package dev.tierline.app;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An RFC 9457 problem details answer ({@code application/problem+json}). */
public final class Problem {

    private Problem() {
    }

    /** Writes a problem with the standard members; {@code errors} is added when it is not empty. */
    public static void write(HttpServletRequest request, HttpServletResponse response, int status, String title,
            String detail, List<FieldError> errors) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance(request));
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        Json.write(response, status, "application/problem+json", body);
    }

    public static void write(HttpServletRequest request, HttpServletResponse response, int status, String title,
            String detail) throws IOException {
        write(request, response, status, title, detail, List.of());
    }

    /** The path the problem is about; for an error dispatch, the path that failed rather than the error page. */
    private static String instance(HttpServletRequest request) {
        Object failed = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        return failed != null ? failed.toString() : request.getRequestURI();
    }

    /** One invalid field of a request body: where it is and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
