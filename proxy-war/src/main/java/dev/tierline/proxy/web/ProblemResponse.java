package dev.tierline.proxy.web;

import dev.tierline.proxy.forward.ErrorResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** A failure as RFC 9457 problem details ({@code application/problem+json}), with the request's id. */
final class ProblemResponse {

    static final String CONTENT_TYPE = "application/problem+json";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ProblemResponse() {
    }

    static ErrorResponse of(HttpServletRequest request, Failure failure) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", failure.title());
        body.put("status", failure.status());
        body.put("detail", failure.detail());
        body.put("instance", request.getRequestURI());
        body.put("requestId", request.getAttribute(RequestIds.ATTRIBUTE));
        return new ErrorResponse(failure.status(), CONTENT_TYPE, MAPPER.writeValueAsBytes(body));
    }

    /** Writes the problem on a request that is not in asynchronous mode. */
    static void write(HttpServletRequest request, HttpServletResponse response, Failure failure) throws IOException {
        ErrorResponse problem = of(request, failure);
        Object id = request.getAttribute(RequestIds.ATTRIBUTE);
        problem.writeHead(response, id == null ? null : id.toString());
        response.getOutputStream().write(problem.body());
    }
}
