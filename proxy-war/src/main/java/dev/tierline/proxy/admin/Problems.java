package dev.tierline.proxy.admin;

import dev.tierline.proxy.forward.ErrorResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The admin paths' answers to what they refuse: RFC 9457 problem details, like the proxy's own. */
final class Problems {

    private Problems() {
    }

    static void send(HttpServletRequest request, HttpServletResponse response, int status, String detail)
            throws IOException {
        send(request, response, status, detail, List.of());
    }

    /** @param errors each problem found, such as a configuration's errors; left out when empty */
    static void send(HttpServletRequest request, HttpServletResponse response, int status, String detail,
            List<String> errors) throws IOException {
        ErrorResponse problem = ErrorResponse.problem(status, title(status), detail, request.getRequestURI(),
                errors.isEmpty() ? Map.of() : Map.of("errors", errors));
        problem.addHead(response, null);
        response.getOutputStream().write(problem.body());
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 415 -> "Unsupported Media Type";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
    }
}
