package dev.tierline.tomcat;

import org.apache.coyote.Processor;
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
