package dev.tierline.bench;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The part of any asynchronous proxy servlet's work that is Tomcat's: the request is put in asynchronous
 * mode and handed to another thread (as a proxy hands it to its HTTP client's I/O thread), which writes a
 * body of {@code n} bytes and completes the request (as a proxy does when the backend's response has ended).
 * No forwarding, no headers copied: measured under bench/run's load, its CPU per request plus an HTTP
 * client's alone is the least a proxy servlet in Tomcat can cost.
 */
public class AsyncFloorServlet extends HttpServlet {

    private final ExecutorService answering = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "floor-answer");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        String n = request.getParameter("n");
        int size = n == null ? 200 : Math.min(Integer.parseInt(n), 1 << 20);
        AsyncContext async = request.startAsync();
        answering.execute(() -> {
            byte[] body = new byte[size];
            Arrays.fill(body, (byte) 'x');
            response.setContentType("application/json");
            response.setContentLength(size);
            try {
                response.getOutputStream().write(body);
            } catch (IOException e) {
                // The client went away; completing below ends the request either way.
            }
            async.complete();
        });
    }

    @Override
    public void destroy() {
        answering.shutdownNow();
    }
}
