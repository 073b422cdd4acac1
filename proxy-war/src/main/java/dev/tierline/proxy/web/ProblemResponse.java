package dev.tierline.proxy.web;

import dev.tierline.proxy.forward.ErrorResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;

/** A failure as RFC 9457 problem details ({@code application/problem+json}), with the request's id. */
final class ProblemResponse {

    private ProblemResponse() {
    }

    static ErrorResponse of(HttpServletRequest request, Failure failure) {
        return ErrorResponse.problem(failure.status(), failure.title(), failure.detail(), request.getRequestURI(),
                Collections.singletonMap("requestId", request.getAttribute(RequestIds.ATTRIBUTE)));
    }

    /**
     * Writes the problem on a request that is not in asynchronous mode and was answered nothing yet; headers set
     * for it before (the Allow of a refused method) stay.
     */
    static void write(HttpServletRequest request, HttpServletResponse response, Failure failure) throws IOException {
        ErrorResponse problem = of(request, failure);
        Object id = request.getAttribute(RequestIds.ATTRIBUTE);
        problem.addHead(response, id == null ? null : id.toString());
        response.getOutputStream().write(problem.body());
    }
}
