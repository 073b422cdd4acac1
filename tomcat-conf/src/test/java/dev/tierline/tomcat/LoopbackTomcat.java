package dev.tierline.tomcat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * A Tomcat for tests over raw sockets: the test's connector on a free loopback port, its valves in the Engine,
 * and one servlet (asynchronous allowed) answering every path.
 */
record LoopbackTomcat(Tomcat tomcat, int port) implements AutoCloseable {

    static LoopbackTomcat start(Path base, Connector connector, HttpServlet servlet, Valve... valves)
            throws IOException, LifecycleException {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        connector.setPort(0);
        connector.setProperty("address", InetAddress.getLoopbackAddress().getHostAddress());
        tomcat.setConnector(connector);
        for (Valve valve : valves) {
            tomcat.getEngine().getPipeline().addValve(valve);
        }
        Files.createDirectories(base.resolve("webapps"));
        Context context = tomcat.addContext("", base.toString());
        Tomcat.addServlet(context, "servlet", servlet).setAsyncSupported(true);
        context.addServletMappingDecoded("/*", "servlet");
        tomcat.start();
        return new LoopbackTomcat(tomcat, connector.getLocalPort());
    }

    /** A servlet that answers every GET with "hello" in plain text. */
    static HttpServlet hello() {
        return new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.getWriter().write("hello");
            }
        };
    }

    /** Stops it, unless a test already has, and lets it go. */
    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
