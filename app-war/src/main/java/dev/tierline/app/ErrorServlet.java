package dev.tierline.app;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The error page and the catch-all: turns errors the container raises (a method a servlet does not
 * support, an uncaught exception) and unknown paths into problem+json, without revealing exception details.
 */
final class ErrorServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(code instanceof Integer status)) {
            // A path nothing serves, rather than an error the container dispatched here.
            Problem.write(request, response, HttpServletResponse.SC_NOT_FOUND, "Not Found",
                    "No resource at " + request.getRequestURI());
            return;
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? request.getRequestURI() : uri.toString();
        String detail = status >= 500 ? "The application failed to answer " + path : statusDetail(status, path);
        response.resetBuffer();
        Problem.write(request, response, status, title(status), detail);
    }

    private static String statusDetail(int status, String path) {
        return switch (status) {
            case HttpServletResponse.SC_METHOD_NOT_ALLOWED -> "This method is not allowed on " + path;
            case HttpServletResponse.SC_NOT_FOUND -> "No resource at " + path;
            default -> "The request to " + path + " could not be served";
        };
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "HTTP " + status;
        };
    }
}
