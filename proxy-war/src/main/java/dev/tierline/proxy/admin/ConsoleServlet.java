package dev.tierline.proxy.admin;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The admin console's page, script and style, served from the WAR as they are: plain HTML and JavaScript,
 * nothing to build. The page may only load its own script and style and talk to its own origin, and may not
 * be framed by another site.
 */
final class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String RESOURCES = "/dev/tierline/proxy/admin/console/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/console.js", "console.js",
            "/console.css", "console.css",
            "/login.js", "login.js");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        if (path.isEmpty()) {
            // The page's relative links need the trailing slash.
            response.sendRedirect(request.getRequestURI() + "/");
            return;
        }
        String file = FILES.get(path);
        if (file == null) {
            Problems.send(request, response, 404, "No such page in the admin console: " + path);
            return;
        }
        serve(response, file);
    }

    /** Writes one of the console's files, with headers that keep the page to its own origin. */
    static void serve(HttpServletResponse response, String file) throws IOException {
        byte[] body;
        try (InputStream in = ConsoleServlet.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IOException("The WAR lacks the console's " + file);
            }
            body = in.readAllBytes();
        }
        response.setContentType(TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        // Not no-referrer: under it, a browser sends "Origin: null" with the page's own login form.
        response.setHeader("Referrer-Policy", "same-origin");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
