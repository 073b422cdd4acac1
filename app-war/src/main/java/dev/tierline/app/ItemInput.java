package dev.tierline.app;

import dev.tierline.app.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The fields a client may send for an item, validated as a whole: every error is reported at once,
 * each naming its field.
 */
public record ItemInput(String name, long quantity) {

    static final int MAX_NAME_LENGTH = 200;
    static final long MAX_QUANTITY = 1_000_000_000L;
    private static final Set<String> FIELDS = Set.of("name", "quantity");

    /** The outcome of validation: an input, or the list of what is wrong. */
    public record Result(ItemInput input, List<FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** Validates a parsed JSON document as an item. */
    public static Result validate(JsonNode document) {
        List<FieldError> errors = new ArrayList<>();
        if (document == null || !document.isObject()) {
            errors.add(new FieldError("$", "must be a JSON object"));
            return new Result(null, errors);
        }
        for (String field : document.propertyNames()) {
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(field, "is not a field of an item"));
            }
        }
        String name = null;
        JsonNode nameNode = document.get("name");
        if (nameNode == null || nameNode.isNull()) {
            errors.add(new FieldError("name", "is required"));
        } else if (!nameNode.isString()) {
            errors.add(new FieldError("name", "must be a string"));
        } else {
            name = nameNode.stringValue().strip();
            if (name.isEmpty()) {
                errors.add(new FieldError("name", "must not be blank"));
            } else if (name.length() > MAX_NAME_LENGTH) {
                errors.add(new FieldError("name", "must be at most " + MAX_NAME_LENGTH + " characters"));
            }
        }
        long quantity = 0;
        JsonNode quantityNode = document.get("quantity");
        if (quantityNode == null || quantityNode.isNull()) {
            errors.add(new FieldError("quantity", "is required"));
        } else if (!quantityNode.isIntegralNumber() || !quantityNode.canConvertToLong()) {
            errors.add(new FieldError("quantity", "must be a whole number"));
        } else {
            quantity = quantityNode.longValue();
            if (quantity < 0 || quantity > MAX_QUANTITY) {
                errors.add(new FieldError("quantity", "must be between 0 and " + MAX_QUANTITY));
            }
        }
        return errors.isEmpty() ? new Result(new ItemInput(name, quantity), List.of()) : new Result(null, errors);
    }
}
