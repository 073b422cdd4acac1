package dev.tierline.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.app.Problem.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemInputTest {

    private static ItemInput.Result validate(String json) {
        return ItemInput.validate(Json.MAPPER.readTree(json));
    }

    @Test
    void validItem_isAccepted_withItsNameStripped() {
        ItemInput.Result result = validate("{\"name\":\"  bolt \",\"quantity\":3}");

        assertTrue(result.valid());
        assertEquals(new ItemInput("bolt", 3), result.input());
    }

    @Test
    void notAnObject_isOneError() {
        assertEquals(List.of(new FieldError("$", "must be a JSON object")), validate("[1,2]").errors());
    }

    @Test
    void missingFields_areEachReported() {
        assertEquals(List.of(new FieldError("name", "is required"), new FieldError("quantity", "is required")),
                validate("{}").errors());
    }

    @Test
    void wrongTypes_areEachReported() {
        assertEquals(List.of(new FieldError("name", "must be a string"),
                new FieldError("quantity", "must be a whole number")),
                validate("{\"name\":7,\"quantity\":1.5}").errors());
    }

    @Test
    void outOfRangeValues_areReported() {
        assertEquals(List.of(new FieldError("name", "must not be blank"),
                new FieldError("quantity", "must be between 0 and 1000000000")),
                validate("{\"name\":\"  \",\"quantity\":-1}").errors());
        assertEquals(List.of(new FieldError("name", "must be at most 200 characters")),
                validate("{\"name\":\"" + "x".repeat(201) + "\",\"quantity\":0}").errors());
    }

    @Test
    void unknownField_isAnError_reportedWithTheOthers() {
        assertEquals(List.of(new FieldError("price", "is not a field of an item"),
                new FieldError("name", "is required")),
                validate("{\"price\":2,\"quantity\":1}").errors());
    }
}
