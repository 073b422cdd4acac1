package dev.tierline.tomcat;

import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's NIO HTTP/1.1 protocol with a configurable size for each response's output buffer, which the
 * standard protocol fixes at 8 KiB (with a 8 K-character buffer beside it, 24 KiB in all).
 *
 * <p>A request in flight holds its response's buffers for as long as it waits, so a web tier holding many
 * long requests (long polls, server-sent events) pays for them many times over. The proxy writes through
 * them in blocks larger than either size, which Tomcat passes to the socket without copying, so a small
 * buffer costs nothing per byte. Set {@code responseBufferSize} on the Connector; the default is Tomcat's.
 */
public class WebTierHttp11NioProtocol extends Http11NioProtocol {

    static final int TOMCAT_DEFAULT = 8 * 1024;

    private int responseBufferSize = TOMCAT_DEFAULT;

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
