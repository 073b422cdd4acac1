package dev.tierline.app;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request's headers as JSON-friendly data. */
public final class RequestHeaders {

    private RequestHeaders() {
    }

    /** Header names in lower case (they are case-insensitive), each with every value received, in order. */
    public static Map<String, List<String>> of(HttpServletRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            List<String> values = headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>());
            values.addAll(Collections.list(request.getHeaders(name)));
        }
        return headers;
    }
}
