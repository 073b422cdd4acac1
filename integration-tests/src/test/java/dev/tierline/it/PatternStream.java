package dev.tierline.it;

import java.io.InputStream;

/**
 * {@code length} bytes where byte i is {@code i % 251}, the same pattern as the app's /api/test/bytes,
 * made as they are read so a large body never sits in memory.
 */
final class PatternStream extends InputStream {

    private final long length;
    private long position;

    PatternStream(long length) {
        this.length = length;
    }

    @Override
    public int read() {
        return position < length ? (int) (position++ % 251) : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) {
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(count, length - position);
        for (int i = 0; i < n; i++) {
            buffer[offset + i] = (byte) (position++ % 251);
        }
        return n;
    }

    /**
     * Reads {@code in} to its end and returns how many bytes it held, failing at the first byte that
     * breaks the pattern.
     */
    static long verify(InputStream in) throws java.io.IOException {
        byte[] buffer = new byte[64 * 1024];
        long position = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            for (int i = 0; i < n; i++, position++) {
                if (buffer[i] != (byte) (position % 251)) {
                    throw new AssertionError("byte " + position + " is " + buffer[i] + ", not " + (position % 251));
                }
            }
        }
        return position;
    }
}
