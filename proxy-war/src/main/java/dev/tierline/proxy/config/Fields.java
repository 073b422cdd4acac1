package dev.tierline.proxy.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The field readers both ways of writing the configuration share. Each reports what is wrong with its field,
 * by the name the user wrote it under ({@link Naming}), and returns a usable value regardless, so that one
 * pass finds every error.
 */
final class Fields {

    /**
     * How a front end names a field in its errors: the configuration file by its JSON path, the context
     * parameters by the parameter that stands for it.
     */
    interface Naming {

        /** The name an error about the field at {@code path} begins with. */
        String where(String path);

        /** How a message about one field refers to another one, at {@code path}. */
        String mention(String path);

        /** The JSON path itself, as the configuration file is written. */
        Naming JSON_PATH = new Naming() {
            @Override
            public String where(String path) {
                return path;
            }

            @Override
            public String mention(String path) {
                return path.substring(path.lastIndexOf('.') + 1);
            }
        };
    }

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final List<String> errors = new ArrayList<>();
    private final Naming naming;

    Fields(Naming naming) {
        this.naming = naming;
    }

    List<String> errors() {
        return errors;
    }

    void error(String path, String message) {
        errors.add(naming.where(path) + ": " + message);
    }

    String mention(String path) {
        return naming.mention(path);
    }

    /** The field's value; null when the field is absent or null, which every reader takes as "the default". */
    private static JsonNode present(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        return node == null || node.isNull() ? null : node;
    }

    boolean object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            error(path, "must be an object");
            return false;
        }
        return true;
    }

    /** The object at {@code parent.field}, its fields checked against {@code known}; null when absent. */
    JsonNode optionalObject(JsonNode parent, String field, String path, Set<String> known, Map<String, String> moved) {
        JsonNode node = present(parent, field);
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            error(path + "." + field, "must be an object");
            return null;
        }
        unknownFields(node, path + "." + field, known, moved);
        return node;
    }

    /**
     * Reports every field of {@code node} not in {@code known}, so a misspelt one is not silently ignored.
     *
     * @param moved fields that are elsewhere, by their parent's name and their own: where to put them instead
     */
    void unknownFields(JsonNode node, String path, Set<String> known, Map<String, String> moved) {
        String parent = path.substring(path.lastIndexOf('.') + 1);
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!known.contains(entry.getKey())) {
                String elsewhere = moved.get(parent + "." + entry.getKey());
                error(path.isEmpty() ? entry.getKey() : path + "." + entry.getKey(), elsewhere != null ? elsewhere
                        : "unknown field (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    Optional<String> string(JsonNode parent, String field, String path) {
        JsonNode node = present(parent, field);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isString() || node.stringValue().isBlank()) {
            error(path + "." + field, "must be a non-empty string");
            return Optional.empty();
        }
        return Optional.of(node.stringValue().strip());
    }

    long number(JsonNode parent, String field, String path, long fallback, long min, long max) {
        JsonNode node = present(parent, field);
        if (node == null) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            error(path + "." + field, "must be a whole number from " + min + " to " + max);
            return fallback;
        }
        return node.longValue();
    }

    double fraction(JsonNode parent, String field, String path, double fallback) {
        JsonNode node = present(parent, field);
        if (node == null) {
            return fallback;
        }
        if (!node.isNumber() || node.doubleValue() < 0 || node.doubleValue() > 1) {
            error(path + "." + field, "must be a number from 0 to 1");
            return fallback;
        }
        return node.doubleValue();
    }

    boolean bool(JsonNode parent, String field, String path, boolean fallback) {
        JsonNode node = present(parent, field);
        if (node == null) {
            return fallback;
        }
        if (!node.isBoolean()) {
            error(path + "." + field, "must be true or false");
            return fallback;
        }
        return node.booleanValue();
    }

    /** A positive ISO-8601 duration, such as PT2S. */
    Duration duration(JsonNode parent, String field, String path, Duration fallback) {
        return duration(parent, field, path, fallback, false);
    }

    /** An ISO-8601 duration, zero allowed (PT0S: at once, or never). */
    Duration durationOrZero(JsonNode parent, String field, String path, Duration fallback) {
        return duration(parent, field, path, fallback, true);
    }

    private Duration duration(JsonNode parent, String field, String path, Duration fallback, boolean zeroAllowed) {
        Optional<String> value = string(parent, field, path);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            Duration duration = Duration.parse(value.get());
            if (!duration.isNegative() && (zeroAllowed || !duration.isZero())) {
                return duration;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        error(path + "." + field, "not " + (zeroAllowed ? "a" : "a positive") + " ISO-8601 duration such as PT2S: '"
                + value.get() + "'");
        return fallback;
    }

    /**
     * One of a fixed set of names.
     *
     * @param parse the value for a name, empty when there is none
     * @param valid the names, as the error lists them
     */
    <E> E choice(JsonNode parent, String field, String path, Function<String, Optional<E>> parse, E fallback,
            String valid) {
        Optional<String> value = string(parent, field, path);
        if (value.isEmpty()) {
            return fallback;
        }
        Optional<E> chosen = parse.apply(value.get());
        if (chosen.isEmpty()) {
            error(path + "." + field, "not one of " + valid + ": '" + value.get() + "'");
        }
        return chosen.orElse(fallback);
    }

    /** A Java enum's constant by its name in any case, such as {@code draining} for DRAINING. */
    static <E extends Enum<E>> Function<String, Optional<E>> constantOf(Class<E> type) {
        return value -> {
            try {
                return Optional.of(Enum.valueOf(type, value.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        };
    }

    /** A list of IP addresses and CIDR blocks. */
    List<AddressRange> addressRanges(JsonNode parent, String field, String path) {
        return list(parent, field, path, "IP addresses or CIDR blocks", (item, where) -> {
            Optional<AddressRange> range = item.isString() ? AddressRange.parse(item.stringValue()) : Optional.empty();
            if (range.isEmpty()) {
                error(where, "not an IP address or CIDR block: " + item);
            }
            return range;
        });
    }

    /**
     * A list, each item read by {@code item}, which is given the item's own path ({@code path.field[i]}) to report a
     * problem at and keeps it or not; empty when the field is absent, and reported when it is not a list.
     *
     * @param itemsAre what the list holds, for the report: "must be a list of " + itemsAre
     */
    <T> List<T> list(JsonNode parent, String field, String path, String itemsAre,
            BiFunction<JsonNode, String, Optional<T>> item) {
        JsonNode node = present(parent, field);
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            error(path + "." + field, "must be a list of " + itemsAre);
            return List.of();
        }
        List<T> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            item.apply(node.get(i), path + "." + field + "[" + i + "]").ifPresent(items::add);
        }
        return items;
    }

    /** An item's text, or "" when it is not a string (which every check then refuses, quoting the item). */
    static String text(JsonNode item) {
        return item.isString() ? item.stringValue() : "";
    }

    /** An absolute http(s) URL without user info, query or fragment; its path becomes the backend's base path. */
    Optional<Backend> backendUrl(String url, String path) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            error(path, "not an absolute http(s) URL: '" + url + "'");
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null || uri.isOpaque()) {
            error(path, "not an absolute http(s) URL: '" + url + "'");
            return Optional.empty();
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            error(path, "must not have user info, a query or a fragment: '" + url + "'");
            return Optional.empty();
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
        String basePath = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        return Optional.of(new Backend(host + ":" + port + basePath, scheme, host, port, basePath));
    }

    /** An IP literal this machine can bind to; a host name is refused, so no lookup happens here. */
    Optional<InetAddress> localAddress(JsonNode parent, String field, String path) {
        Optional<String> value = string(parent, field, path);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        InetAddress address;
        try {
            if (!IP_LITERAL.matcher(value.get()).matches()) {
                throw new UnknownHostException(value.get());
            }
            address = InetAddress.getByName(value.get());
        } catch (UnknownHostException e) {
            error(path + "." + field, "not an IP address: '" + value.get() + "'");
            return Optional.empty();
        }
        try (Socket probe = new Socket()) {
            probe.bind(new InetSocketAddress(address, 0));
        } catch (IOException e) {
            error(path + "." + field, "this machine cannot connect from " + value.get() + " (" + e.getMessage() + ")");
            return Optional.empty();
        }
        return Optional.of(address);
    }
}
