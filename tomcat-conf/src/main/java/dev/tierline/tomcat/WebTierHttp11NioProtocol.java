package dev.tierline.tomcat;

import org.apache.catalina.connector.CoyoteAdapter;
import org.apache.coyote.Processor;
import org.apache.coyote.Request;
import org.apache.coyote.Response;
import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's NIO HTTP/1.1 protocol for the web tier, which faces the internet: a deadline for each request head
 * ({@code requestHeadTimeout}, see {@link RequestHeadDeadline}), and a configurable size for each response's
 * output buffer, which the standard protocol fixes at 8 KiB (with a 8 K-character buffer beside it, 24 KiB in
 * all).
 *
 * <p>A request in flight holds its response's buffers for as long as it waits, so a web tier holding many
 * long requests (long polls, server-sent events) pays for them many times over. The proxy writes through
 * them in blocks larger than either size, which Tomcat passes to the socket without copying, so a small
 * buffer costs nothing per byte. Set {@code responseBufferSize} on the Connector; the default is Tomcat's.
 */
public class WebTierHttp11NioProtocol extends Http11NioProtocol {

    static final int TOMCAT_DEFAULT = 8 * 1024;

    /** Like HAProxy's usual {@code timeout http-request}; nginx's client_header_timeout is 60 s between reads. */
    static final int DEFAULT_REQUEST_HEAD_TIMEOUT = 10_000;

    private int responseBufferSize = TOMCAT_DEFAULT;
    private int requestHeadTimeout = DEFAULT_REQUEST_HEAD_TIMEOUT;

    /**
     * What the web tier compresses when the connector's {@code compression} is on: text, JSON (problem+json too),
     * XML, JavaScript, CSS, CSV and SVG of 1 KiB or more. Server-sent events are left out, so that each event goes
     * out as it is written.
     */
    static final String COMPRESSIBLE_TYPES = "text/html,text/xml,text/plain,text/css,text/javascript,text/csv,"
            + "application/javascript,application/json,application/problem+json,application/xml,image/svg+xml";
    static final int COMPRESSION_MIN_SIZE = 1024;

    public WebTierHttp11NioProtocol() {
        setCompressibleMimeType(COMPRESSIBLE_TYPES);
        setCompressionMinSize(COMPRESSION_MIN_SIZE);
    }

    /** The longest a client may take over one request head, from its first byte to its end, in milliseconds. */
    public int getRequestHeadTimeout() {
        return requestHeadTimeout;
    }

    public void setRequestHeadTimeout(int requestHeadTimeout) {
        if (requestHeadTimeout < 1) {
            throw new IllegalArgumentException("requestHeadTimeout: at least 1 millisecond, not " + requestHeadTimeout);
        }
        this.requestHeadTimeout = requestHeadTimeout;
    }

    /**
     * The request attribute by which an application (the proxy, for a route with compression off) keeps a
     * response from being compressed here, whatever the connector's compression setting.
     */
    public static final String NO_COMPRESSION_ATTRIBUTE = "dev.tierline.noCompression";

    /**
     * Tomcat's own choice (the connector's compression settings, the client's Accept-Encoding, a response not
     * already encoded by the backend, its type and size), unless the application said no for this request.
     * Asked for HTTP/1.1 and HTTP/2 alike.
     */
    @Override
    public boolean useCompression(Request request, Response response) {
        if (request.getNote(CoyoteAdapter.ADAPTER_NOTES) instanceof org.apache.catalina.connector.Request servlet
                && servlet.getAttribute(NO_COMPRESSION_ATTRIBUTE) != null) {
            return false;
        }
        return super.useCompression(request, response);
    }

    @Override
    protected Processor createProcessor() {
        return RequestHeadDeadline.of(this, getAdapter(), requestHeadTimeout);
    }

    public int getResponseBufferSize() {
        return responseBufferSize;
    }

    public void setResponseBufferSize(int responseBufferSize) {
        if (responseBufferSize < 256) {
            throw new IllegalArgumentException("responseBufferSize: at least 256 bytes, not " + responseBufferSize);
        }
        this.responseBufferSize = responseBufferSize;
    }

    @Override
    public int getDesiredBufferSize() {
        return responseBufferSize;
    }
}
