package dev.tierline.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class FrameBoundaryTest {

    /** A frame as RFC 6455 5.2 lays it out: FIN and opcode, the length in its three forms, a mask when masked. */
    private static byte[] frame(int opcode, int length, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | opcode);
        int mask = masked ? 0x80 : 0;
        if (length < 126) {
            out.write(mask | length);
        } else if (length < 65536) {
            out.write(mask | 126);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >> shift));
            }
        }
        if (masked) {
            out.writeBytes(new byte[] {1, 2, 3, 4});
        }
        out.writeBytes(new byte[length]);
        return out.toByteArray();
    }

    @Test
    void framesOfEachLengthForm_endWhereTheirPayloadEnds_evenFedAByteAtATime() {
        for (int length : new int[] {0, 5, 125, 126, 300, 65535, 65536, 70000}) {
            for (boolean masked : new boolean[] {false, true}) {
                byte[] frame = frame(0x2, length, masked);
                FrameBoundary boundary = new FrameBoundary();
                for (int i = 0; i < frame.length; i++) {
                    assertTrue(i == 0 || !boundary.atBoundary(), "mid-frame at byte " + i + " of " + length);
                    boundary.advance(frame, i, 1);
                }
                assertTrue(boundary.atBoundary(), "after a frame of " + length + (masked ? " masked" : ""));
            }
        }
    }

    @Test
    void severalFramesInOneRead_andAFrameSplitAcrossReads() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(frame(0x1, 10, true));
        stream.writeBytes(frame(0x2, 200, true));
        stream.writeBytes(frame(0x9, 3, true));
        byte[] bytes = stream.toByteArray();
        FrameBoundary boundary = new FrameBoundary();

        boundary.advance(bytes, 0, 30);
        assertFalse(boundary.atBoundary());
        boundary.advance(bytes, 30, bytes.length - 30);
        assertTrue(boundary.atBoundary());
        assertFalse(boundary.closeSent(), "no Close among them");
    }

    @Test
    void aCloseFrame_isNoted_onceItsHeaderHasPassed() {
        byte[] close = FrameBoundary.closeFromClient(1001);
        FrameBoundary boundary = new FrameBoundary();
        boundary.advance(close, 0, close.length);

        assertTrue(boundary.closeSent());
        assertTrue(boundary.atBoundary());
    }

    @Test
    void theProxysOwnCloseFrames_areWellFormed() {
        assertArrayEquals(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xe9}, FrameBoundary.closeFromServer(1001));
        byte[] masked = FrameBoundary.closeFromClient(1001);
        assertEquals(8, masked.length);
        assertEquals((byte) 0x88, masked[0]);
        assertEquals((byte) 0x82, masked[1], "masked, two bytes of payload");
        assertEquals(1001, ((masked[6] ^ masked[2]) & 0xff) << 8 | ((masked[7] ^ masked[3]) & 0xff));
    }
}
