package dev.tierline.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ItemStoreTest {

    @Test
    void created_items_getIncreasingIds_andAreListedInOrder() {
        ItemStore store = new ItemStore(10);
        Item first = store.create(new ItemInput("a", 1)).orElseThrow();
        Item second = store.create(new ItemInput("b", 2)).orElseThrow();

        assertEquals(List.of(first, second), store.list());
        assertTrue(second.id() > first.id());
    }

    @Test
    void fullStore_refusesNewItems_untilOneIsDeleted() {
        ItemStore store = new ItemStore(1);
        Item only = store.create(new ItemInput("a", 1)).orElseThrow();

        assertTrue(store.create(new ItemInput("b", 1)).isEmpty());
        assertTrue(store.delete(only.id()));
        assertTrue(store.create(new ItemInput("b", 1)).isPresent());
    }

    @Test
    void replace_keepsTheId_andDoesNotCreateMissingItems() {
        ItemStore store = new ItemStore(10);
        Item item = store.create(new ItemInput("a", 1)).orElseThrow();

        assertEquals(new Item(item.id(), "b", 5), store.replace(item.id(), new ItemInput("b", 5)).orElseThrow());
        assertTrue(store.replace(999, new ItemInput("c", 1)).isEmpty());
        assertFalse(store.get(999).isPresent());
    }
}
