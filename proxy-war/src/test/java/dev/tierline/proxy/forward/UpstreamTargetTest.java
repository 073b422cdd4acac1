package dev.tierline.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UpstreamTargetTest {

    @Test
    void dotSegmentsWithAParameter_areFound_wherever_theyAre() {
        for (String path : new String[] {"/a/..;/b", "/..;x", "/a/.;", "/a/..;x/b", "/.;/"}) {
            assertTrue(UpstreamTarget.hasDotSegmentWithParameter(path), path);
        }
    }

    @Test
    void otherSegmentsWithDotsAndParameters_areNot() {
        for (String path : new String[] {"/a/x.;/b", "/a/...;/b", "/a/x..;/b", "/a/../b", "/a;b/.x;", "/"}) {
            assertFalse(UpstreamTarget.hasDotSegmentWithParameter(path), path);
        }
    }

    @Test
    void plainPath_isKept_underTheBasePath() {
        assertEquals("/app/api/items/7", UpstreamTarget.of("/app", "/api/items/7", null));
        assertEquals("/", UpstreamTarget.of("", "/", null));
    }

    @Test
    void query_isAppendedExactlyAsReceived() {
        assertEquals("/api?a=%2F&b=x+y&c=%zz&&d", UpstreamTarget.of("", "/api", "a=%2F&b=x+y&c=%zz&&d"));
        assertEquals("/api?", UpstreamTarget.of("", "/api", ""));
    }

    @Test
    void semicolonAndPercent_areAlwaysEncoded_soNoPathParameterOrEncodingReachesTheBackend() {
        // The container already decoded "..;/" and "%2e%2e" and normalised the path; what is left of
        // them must stay literal upstream.
        assertEquals("/app/a%3Bb/%252e%252e/c", UpstreamTarget.of("/app", "/a;b/%2e%2e/c", null));
    }

    @Test
    void nonAsciiAndReservedCharacters_areUtf8PercentEncoded() {
        assertEquals("/caf%C3%A9/a%20b/%3F%23", UpstreamTarget.of("", "/caf\u00e9/a b/?#", null));
    }

    @Test
    void subDelimitersAndColonAndAt_areKept() {
        assertEquals("/a:b@c!$&'()*+,=~-._", UpstreamTarget.of("", "/a:b@c!$&'()*+,=~-._", null));
    }
}
