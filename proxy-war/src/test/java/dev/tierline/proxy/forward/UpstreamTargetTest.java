package dev.tierline.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UpstreamTargetTest {

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
