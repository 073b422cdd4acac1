package dev.tierline.proxy.admin;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.util.logging.Logger;

/**
 * The console's login form, for browsers: {@code GET login} shows it, {@code POST login} checks the user and
 * password against the container's realm (the LockOutRealm of tomcat-conf) and keeps the login in a new session,
 * and {@code POST logout} ends it. API clients may send HTTP Basic with each request instead ({@link AdminGate}).
 * A login posted from another site's page is refused, so that nobody can log a browser in as someone else.
 */
final class LoginServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger AUDIT = Logger.getLogger("dev.tierline.audit");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getServletPath().endsWith("/logout")) {
            response.setHeader("Allow", "POST");
            Problems.send(request, response, 405, "Log out with POST");
            return;
        }
        ConsoleServlet.serve(response, "login.html");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!sameOrigin(request)) {
            Problems.send(request, response, 403, "A login or logout must come from the console's own page");
            return;
        }
        if (request.getServletPath().endsWith("/logout")) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            response.sendRedirect("login");
            return;
        }
        String user = request.getParameter("username");
        String password = request.getParameter("password");
        if (user == null || password == null || user.isBlank()) {
            response.sendRedirect("login?failed");
            return;
        }
        HttpSession old = request.getSession(false);
        if (old != null) {
            old.invalidate();
        }
        if (!AdminGate.logIn(request, user, password)) {
            AUDIT.info("login refused for " + user + " from " + request.getRemoteAddr());
            response.sendRedirect("login?failed");
            return;
        }
        AUDIT.info("login " + user + " from " + request.getRemoteAddr());
        response.sendRedirect("./");
    }

    /**
     * True when the browser says the form was posted from this origin (Origin, or else Referer), or says nothing:
     * browsers send Origin with every cross-site POST.
     */
    static boolean sameOrigin(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            String referer = request.getHeader("Referer");
            if (referer == null) {
                return true;
            }
            try {
                URI uri = URI.create(referer);
                origin = uri.getScheme() + "://" + uri.getRawAuthority();
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        String own = request.getScheme() + "://" + request.getServerName()
                + (request.getServerPort() == (request.isSecure() ? 443 : 80) ? "" : ":" + request.getServerPort());
        return origin.equalsIgnoreCase(own);
    }
}
