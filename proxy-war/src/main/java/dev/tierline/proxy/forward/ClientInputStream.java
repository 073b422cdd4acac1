package dev.tierline.proxy.forward;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The client's request body, whose read failures are marked as the client's. */
final class ClientInputStream extends FilterInputStream {

    ClientInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw new ClientStreamException(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return super.read(buffer, offset, length);
        } catch (IOException e) {
            throw new ClientStreamException(e);
        }
    }

    /** The servlet container owns the client's stream; the upstream client must not close it. */
    @Override
    public void close() {
        // nothing to release
    }
}
