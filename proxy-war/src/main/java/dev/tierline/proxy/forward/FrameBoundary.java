package dev.tierline.proxy.forward;

import java.security.SecureRandom;

/**
 * Where one direction of a WebSocket connection stands between frames (RFC 6455 section 5.2), so the proxy can
 * end a tunnel with a Close frame of its own without cutting a frame in two, and knows whether the side already
 * sent its Close. The tunnel relays bytes as they come; this only counts them.
 */
final class FrameBoundary {

    private static final int CLOSE = 0x8;
    private static final int LONGEST_HEADER = 14;
    private static final SecureRandom MASKS = new SecureRandom();

    private final byte[] header = new byte[LONGEST_HEADER];
    /** Bytes of the current frame's header seen so far; 0 between frames or within a payload. */
    private int headerSeen;
    /** The current header's full length, known from its second byte. */
    private int headerLength = 2;
    private long payloadLeft;
    private boolean closeSent;

    /** Counts {@code length} bytes of the stream, in order. */
    void advance(byte[] bytes, int offset, int length) {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (payloadLeft > 0) {
                int skipped = (int) Math.min(payloadLeft, end - at);
                payloadLeft -= skipped;
                at += skipped;
                continue;
            }
            header[headerSeen++] = bytes[at++];
            if (headerSeen == 2) {
                int length7 = header[1] & 0x7f;
                headerLength = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((header[1] & 0x80) != 0 ? 4 : 0);
            }
            if (headerSeen >= 2 && headerSeen == headerLength) {
                payloadLeft = payloadLength();
                closeSent |= (header[0] & 0x0f) == CLOSE;
                headerSeen = 0;
            }
        }
    }

    private long payloadLength() {
        int length7 = header[1] & 0x7f;
        if (length7 < 126) {
            return length7;
        }
        int bytes = length7 == 126 ? 2 : 8;
        long length = 0;
        for (int i = 0; i < bytes; i++) {
            length = (length << 8) | (header[2 + i] & 0xff);
        }
        // RFC 6455: the most significant bit of a 64-bit length is 0; a peer that sets it is cut off at the end.
        return length < 0 ? Long.MAX_VALUE : length;
    }

    /** True between frames: a frame of the proxy's own may be sent in this direction now. */
    boolean atBoundary() {
        return headerSeen == 0 && payloadLeft == 0;
    }

    /** True once a Close frame has passed: the side has said goodbye, and must not get a second Close from us. */
    boolean closeSent() {
        return closeSent;
    }

    /** A Close frame from the server's side (unmasked) with {@code code} and no reason. */
    static byte[] closeFromServer(int code) {
        return new byte[] {(byte) (0x80 | CLOSE), 2, (byte) (code >> 8), (byte) code};
    }

    /** A Close frame from the client's side, masked as RFC 6455 section 5.3 requires, with {@code code}. */
    static byte[] closeFromClient(int code) {
        byte[] mask = new byte[4];
        MASKS.nextBytes(mask);
        return new byte[] {(byte) (0x80 | CLOSE), (byte) 0x82, mask[0], mask[1], mask[2], mask[3],
                (byte) ((code >> 8) ^ mask[0]), (byte) (code ^ mask[1])};
    }
}
