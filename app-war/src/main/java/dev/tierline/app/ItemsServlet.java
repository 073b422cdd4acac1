package dev.tierline.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** {@code /api/items} and {@code /api/items/{id}}: list, read, create, replace and delete items. */
final class ItemsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final transient ItemStore store;

    ItemsServlet(ItemStore store) {
        this.store = store;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (isCollection(request)) {
            Json.write(response, HttpServletResponse.SC_OK, store.list());
            return;
        }
        OptionalLong id = id(request, response);
        if (id.isEmpty()) {
            return;
        }
        Optional<Item> item = store.get(id.getAsLong());
        if (item.isPresent()) {
            Json.write(response, HttpServletResponse.SC_OK, item.get());
        } else {
            notFound(request, response, id.getAsLong());
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!isCollection(request)) {
            methodNotAllowed(request, response, "GET, PUT, DELETE");
            return;
        }
        ItemInput input = input(request, response);
        if (input == null) {
            return;
        }
        Optional<Item> created = store.create(input);
        if (created.isEmpty()) {
            Problem.write(request, response, HttpServletResponse.SC_CONFLICT, "Conflict",
                    "The store holds at most " + store.capacity() + " items; delete some first");
            return;
        }
        response.setHeader("Location", request.getRequestURL() + "/" + created.get().id());
        Json.write(response, HttpServletResponse.SC_CREATED, created.get());
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (isCollection(request)) {
            methodNotAllowed(request, response, "GET, POST");
            return;
        }
        OptionalLong id = id(request, response);
        if (id.isEmpty()) {
            return;
        }
        ItemInput input = input(request, response);
        if (input == null) {
            return;
        }
        Optional<Item> replaced = store.replace(id.getAsLong(), input);
        if (replaced.isPresent()) {
            Json.write(response, HttpServletResponse.SC_OK, replaced.get());
        } else {
            notFound(request, response, id.getAsLong());
        }
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (isCollection(request)) {
            methodNotAllowed(request, response, "GET, POST");
            return;
        }
        OptionalLong id = id(request, response);
        if (id.isEmpty()) {
            return;
        }
        if (store.delete(id.getAsLong())) {
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } else {
            notFound(request, response, id.getAsLong());
        }
    }

    private static boolean isCollection(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return pathInfo == null || pathInfo.equals("/");
    }

    /** The id in {@code /api/items/{id}}; answers 404 itself and returns empty when it is not one. */
    private static OptionalLong id(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String segment = request.getPathInfo().substring(1);
        if (segment.matches("[1-9][0-9]{0,17}")) {
            return OptionalLong.of(Long.parseLong(segment));
        }
        Problem.write(request, response, HttpServletResponse.SC_NOT_FOUND, "Not Found",
                "'" + segment + "' is not an item id");
        return OptionalLong.empty();
    }

    /** The validated body; answers 400, 413 or 415 itself and returns null when there is none. */
    private static ItemInput input(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String contentType = request.getContentType();
        if (contentType == null || !isJson(contentType)) {
            Problem.write(request, response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
                    "Send the item as application/json");
            return null;
        }
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            Problem.write(request, response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "Content Too Large",
                    "An item is at most " + MAX_BODY_BYTES + " bytes of JSON");
            return null;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            Problem.write(request, response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "Content Too Large",
                    "An item is at most " + MAX_BODY_BYTES + " bytes of JSON");
            return null;
        }
        JsonNode document;
        try {
            document = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            Problem.write(request, response, HttpServletResponse.SC_BAD_REQUEST, "Bad Request",
                    "The body is not valid JSON: " + e.getOriginalMessage());
            return null;
        }
        ItemInput.Result result = ItemInput.validate(document);
        if (!result.valid()) {
            Problem.write(request, response, HttpServletResponse.SC_BAD_REQUEST, "Bad Request",
                    "The item has invalid fields", result.errors());
            return null;
        }
        return result.input();
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private static void notFound(HttpServletRequest request, HttpServletResponse response, long id) throws IOException {
        Problem.write(request, response, HttpServletResponse.SC_NOT_FOUND, "Not Found", "There is no item " + id);
    }

    private static void methodNotAllowed(HttpServletRequest request, HttpServletResponse response, String allow)
            throws IOException {
        response.setHeader("Allow", allow);
        Problem.write(request, response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "Method Not Allowed",
                request.getMethod() + " is not allowed on " + request.getRequestURI());
    }
}
