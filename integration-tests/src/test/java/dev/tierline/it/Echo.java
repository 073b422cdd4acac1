package dev.tierline.it;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the app's {@code /api/test/echo} answer: the request as the app received it. */
final class Echo {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Echo() {
    }

    static JsonNode json(RawHttp.Response response) {
        return JSON.readTree(response.body());
    }

    /** The first value of the header {@code name} (lower case) the app received, or null. */
    static String header(JsonNode echo, String name) {
        JsonNode values = echo.get("headers").get(name);
        return values == null ? null : values.get(0).stringValue();
    }
}
