package dev.tierline.app;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The app's one JSON mapper and the helpers that write JSON answers. */
public final class Json {

    /**
     * Strict on input: a document with trailing garbage or duplicate keys is an error, not something to
     * guess about.
     */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    /** Writes {@code body} as {@code application/json} with the given status. */
    public static void write(HttpServletResponse response, int status, Object body) throws IOException {
        write(response, status, "application/json", body);
    }

    static void write(HttpServletResponse response, int status, String contentType, Object body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
