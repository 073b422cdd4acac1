package dev.tierline.proxy.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Writes a failure as RFC 9457 problem details ({@code application/problem+json}). */
final class ProblemResponse {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ProblemResponse() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, Failure failure) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", failure.title());
        body.put("status", failure.status());
        body.put("detail", failure.detail());
        body.put("instance", request.getRequestURI());
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        response.reset();
        response.setStatus(failure.status());
        response.setContentType("application/problem+json");
        response.setContentLength(bytes.length);
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(bytes);
    }
}
