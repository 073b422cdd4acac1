package dev.tierline.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Answers every path the app does not serve, whatever the method, with 404 problem+json. */
final class NotFoundServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Problem.write(request, response, HttpServletResponse.SC_NOT_FOUND, "Not Found",
                "No resource at " + request.getRequestURI());
    }
}
