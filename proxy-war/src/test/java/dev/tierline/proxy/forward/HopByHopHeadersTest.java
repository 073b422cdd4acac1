package dev.tierline.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {

    @Test
    void fixedSet_isHopByHop_inAnyCase() {
        HopByHopHeaders headers = HopByHopHeaders.of(List.of());
        for (String name : List.of("Connection", "KEEP-ALIVE", "proxy-connection", "Proxy-Authenticate",
                "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "HTTP2-Settings")) {
            assertTrue(headers.contains(name), name);
        }
        assertFalse(headers.contains("Content-Type"));
        assertFalse(headers.contains("X-Request-Id"));
    }

    @Test
    void headersNamedByConnection_areHopByHop_acrossRepeatedHeaders() {
        HopByHopHeaders headers = HopByHopHeaders.of(List.of("close, X-Foo", " x-bar ,,"));

        assertTrue(headers.contains("x-foo"));
        assertTrue(headers.contains("X-BAR"));
        assertFalse(headers.contains("X-Baz"));
    }
}
