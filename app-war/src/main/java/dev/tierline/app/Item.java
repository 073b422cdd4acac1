package dev.tierline.app;

/** One stored item. */
public record Item(long id, String name, long quantity) {
}
