package dev.tierline.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reports the request as the app sees it through {@link HttpServletRequest}: after the app tier's
 * RemoteIpValve has applied X-Forwarded-* from the web tier, and only from it.
 */
final class WhoAmIServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private final String instance;

    WhoAmIServlet(String instance) {
        this.instance = instance;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instance", instance);
        body.put("clientAddress", request.getRemoteAddr());
        body.put("scheme", request.getScheme());
        body.put("secure", request.isSecure());
        body.put("host", request.getServerName());
        body.put("port", request.getServerPort());
        body.put("protocol", request.getProtocol());
        body.put("method", request.getMethod());
        body.put("path", request.getRequestURI());
        body.put("headers", RequestHeaders.of(request));
        Json.write(response, HttpServletResponse.SC_OK, body);
    }
}
