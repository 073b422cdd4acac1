package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.Backend;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;

/**
 * Forwards one request to a chosen backend and relays the response, streaming both bodies. It knows
 * nothing of routes or balancing: it is given a backend and reports how the exchange ended.
 */
public final class Forwarder {

    private static final Logger LOG = Logger.getLogger(Forwarder.class.getName());
    static final int BUFFER_SIZE = 16 * 1024;

    private final CloseableHttpClient client;

    public Forwarder(CloseableHttpClient client) {
        this.client = client;
    }

    /**
     * Forwards {@code request} to {@code backend} and writes the backend's response to {@code response}.
     * On a failure before the response is committed nothing has been written, so the caller can answer with
     * an error status; after it, the client's response is left unfinished for the caller to abort.
     *
     * @param path the decoded, normalised path within the proxy's mapping
     */
    public ForwardOutcome forward(HttpServletRequest request, HttpServletResponse response, Backend backend,
            String path) {
        HttpHost target = new HttpHost(backend.scheme(), backend.host(), backend.port());
        HttpUriRequestBase upstream = new HttpUriRequestBase(request.getMethod(), URI.create(backend.origin()));
        upstream.setPath(UpstreamTarget.of(backend.basePath(), path, request.getQueryString()));
        copyRequestHeaders(request, upstream);
        ForwardedHeaders.set(request, upstream);
        try {
            if (hasBody(request)) {
                long length = request.getHeader("Transfer-Encoding") != null ? -1 : request.getContentLengthLong();
                upstream.setEntity(new InputStreamEntity(new ClientInputStream(request.getInputStream()), length, null));
            }
        } catch (IOException e) {
            return ForwardOutcome.CLIENT_ABORTED;
        }
        ClassicHttpResponse upstreamResponse = null;
        try {
            upstreamResponse = client.executeOpen(target, upstream, null);
            response.setStatus(upstreamResponse.getCode());
            copyResponseHeaders(upstreamResponse, response);
            return relayBody(upstreamResponse.getEntity(), upstream, response, backend);
        } catch (ClientStreamException e) {
            upstream.cancel();
            return ForwardOutcome.CLIENT_ABORTED;
        } catch (IOException e) {
            upstream.cancel();
            ForwardOutcome outcome = classify(e);
            LOG.log(Level.FINE, () -> outcome + " from " + backend + ": " + e);
            return outcome;
        } finally {
            release(upstreamResponse);
        }
    }

    /**
     * Returns the connection to the pool after a complete exchange. After a cancelled one, closing only
     * discards the connection; a failure then has already been reported and is not news.
     */
    private static void release(ClassicHttpResponse upstreamResponse) {
        if (upstreamResponse == null) {
            return;
        }
        try {
            upstreamResponse.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "Upstream connection closed with an error", e);
        }
    }

    /** A request has a body when it says so: a Content-Length or a Transfer-Encoding (RFC 9112 6.3). */
    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() >= 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /**
     * Copies the backend's body to the client. A backend failure before anything reached the client is
     * thrown, to be answered with an error status; after, the exchange is cancelled and reported.
     */
    private static ForwardOutcome relayBody(HttpEntity entity, HttpUriRequestBase upstream,
            HttpServletResponse response, Backend backend) throws IOException {
        if (entity == null) {
            return ForwardOutcome.COMPLETED;
        }
        InputStream in = entity.getContent();
        byte[] buffer = new byte[BUFFER_SIZE];
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                if (!response.isCommitted()) {
                    response.reset();
                    throw e;
                }
                upstream.cancel();
                LOG.log(Level.WARNING, () -> "Backend " + backend + " failed while its response was relayed: " + e);
                return ForwardOutcome.FAILED_AFTER_COMMIT;
            }
            if (n < 0) {
                return ForwardOutcome.COMPLETED;
            }
            try {
                OutputStream out = response.getOutputStream();
                out.write(buffer, 0, n);
                // Pass on what has arrived when nothing more is waiting, so streamed responses
                // (server-sent events, long polls) reach the client as the backend writes them.
                if (in.available() == 0) {
                    out.flush();
                }
            } catch (IOException e) {
                upstream.cancel();
                return ForwardOutcome.CLIENT_ABORTED;
            }
        }
    }

    private static ForwardOutcome classify(IOException e) {
        if (e instanceof ConnectTimeoutException) {
            return ForwardOutcome.CONNECT_TIMEOUT;
        }
        if (e instanceof ConnectionRequestTimeoutException) {
            return ForwardOutcome.POOL_EXHAUSTED;
        }
        if (e instanceof ConnectException) {
            return ForwardOutcome.CONNECT_REFUSED;
        }
        if (e instanceof SocketTimeoutException) {
            return ForwardOutcome.RESPONSE_TIMEOUT;
        }
        if (e instanceof NoHttpResponseException) {
            return ForwardOutcome.BACKEND_RESET;
        }
        if (e.getCause() instanceof ProtocolException || e instanceof ClientProtocolException) {
            return ForwardOutcome.MALFORMED_RESPONSE;
        }
        return ForwardOutcome.BACKEND_RESET;
    }

    private static void copyRequestHeaders(HttpServletRequest request, HttpUriRequestBase upstream) {
        HopByHopHeaders hopByHop = HopByHopHeaders.of(Collections.list(request.getHeaders("Connection")));
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            if (hopByHop.contains(name) || ForwardedHeaders.isReplaced(name) || isSetByClient(name)) {
                continue;
            }
            for (String value : Collections.list(request.getHeaders(name))) {
                upstream.addHeader(name, value);
            }
        }
    }

    /**
     * Headers the upstream client writes itself: Host (the backend's), Content-Length (from the entity),
     * and Expect (the container has already answered 100-continue to the client).
     */
    private static boolean isSetByClient(String name) {
        return name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Content-Length")
                || name.equalsIgnoreCase("Expect");
    }

    private static void copyResponseHeaders(ClassicHttpResponse upstreamResponse, HttpServletResponse response) {
        HopByHopHeaders hopByHop = HopByHopHeaders.of(
                Arrays.stream(upstreamResponse.getHeaders("Connection")).map(Header::getValue).toList());
        for (Header header : upstreamResponse.getHeaders()) {
            if (!hopByHop.contains(header.getName())) {
                response.addHeader(header.getName(), header.getValue());
            }
        }
    }
}
