package dev.tierline.tomcat;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Refuses HTTP/0.9 requests ({@code GET /path} with no protocol), which Tomcat would answer with a bare body:
 * no status line and no headers, so nothing on the way can tell an error from a success, or where the body
 * ends. HTTP/0.9 has no way to say "bad request", so the connection is closed without a byte, as HAProxy and
 * the browsers of today treat it. Install with {@code <Valve className="dev.tierline.tomcat.RefuseHttp09Valve"/>}
 * in the Engine and this jar in CATALINA_BASE/lib.
 */
public final class RefuseHttp09Valve extends ValveBase {

    public RefuseHttp09Valve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        // Tomcat leaves the protocol empty for a request line without one: HTTP/0.9.
        if (request.getProtocol().isEmpty()) {
            response.getCoyoteResponse().action(ActionCode.CLOSE_NOW, null);
            return;
        }
        getNext().invoke(request, response);
    }
}
