package dev.tierline.proxy.admin;

import dev.tierline.proxy.config.AdminSettings;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The way into the admin paths, in this order: the client's address must be allowed (403 otherwise, before
 * any password is looked at, so that nobody else can lock the admin user out of the LockOutRealm by
 * guessing); then it must log in (the console's login form, or HTTP Basic with any request; either against the
 * container's realm, once per session, since the realm's PBKDF2 costs a noticeable slice of CPU); then its role must allow the method: {@code
 * tierline-viewer} reads, {@code tierline-operator} reads and changes. HTTPS is the container's to enforce
 * (a CONFIDENTIAL transport guarantee on every admin servlet), before this filter runs.
 */
final class AdminGate implements Filter {

    static final String VIEWER = "tierline-viewer";
    static final String OPERATOR = "tierline-operator";
    static final String CHALLENGE = "Basic realm=\"Tierline admin\", charset=\"UTF-8\"";
    /** The login form and what it loads, reached before logging in (a challenge there would open a dialog). */
    private static final java.util.Set<String> OPEN = java.util.Set.of("/login", "/logout", "/login.js", "/console.css");

    private final AdminSettings settings;

    AdminGate(AdminSettings settings) {
        this.settings = settings;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (!settings.allows(request.getRemoteAddr())) {
            Problems.send(request, response, 403, "The admin console does not answer this address");
            return;
        }
        String within = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        within = within.substring(Math.min(within.length(), settings.path().length()));
        if (OPEN.contains(within)) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getUserPrincipal() == null && !logIn(request)) {
            if ((within.isEmpty() || within.equals("/")) && reads(request)) {
                // A browser opening the console: the login form rather than the browser's own password dialog.
                response.sendRedirect(request.getContextPath() + settings.path() + "/login");
                return;
            }
            response.setHeader("WWW-Authenticate", CHALLENGE);
            Problems.send(request, response, 401, "Log in with a tierline-viewer or tierline-operator user");
            return;
        }
        if (!request.isUserInRole(OPERATOR) && !(reads(request) && request.isUserInRole(VIEWER))) {
            Problems.send(request, response, 403, reads(request) ? "This needs the role " + VIEWER + " or " + OPERATOR
                    : "Changes need the role " + OPERATOR);
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean reads(HttpServletRequest request) {
        String method = request.getMethod();
        return method.equals("GET") || method.equals("HEAD");
    }

    /** Logs in with the request's Basic credentials, if any; the session then keeps the login. */
    private static boolean logIn(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = credentials.indexOf(':');
        return colon >= 0 && logIn(request, credentials.substring(0, colon), credentials.substring(colon + 1));
    }

    /** Logs {@code user} in against the container's realm, for the rest of the session; false when refused. */
    static boolean logIn(HttpServletRequest request, String user, String password) {
        // The session first: the container keeps the login in it only when there is one.
        request.getSession(true);
        try {
            request.login(user, password);
            return true;
        } catch (ServletException e) {
            return false;
        }
    }
}
