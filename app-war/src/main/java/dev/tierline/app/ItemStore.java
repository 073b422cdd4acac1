package dev.tierline.app;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** Items in memory, bounded so that a client cannot exhaust the heap. */
public final class ItemStore {

    static final int DEFAULT_CAPACITY = 10_000;

    private final ConcurrentSkipListMap<Long, Item> items = new ConcurrentSkipListMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final int capacity;

    public ItemStore(int capacity) {
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }

    public List<Item> list() {
        return List.copyOf(items.values());
    }

    public Optional<Item> get(long id) {
        return Optional.ofNullable(items.get(id));
    }

    /** Stores a new item, or returns empty when the store is full. */
    public synchronized Optional<Item> create(ItemInput input) {
        if (items.size() >= capacity) {
            return Optional.empty();
        }
        Item item = new Item(nextId.getAndIncrement(), input.name(), input.quantity());
        items.put(item.id(), item);
        return Optional.of(item);
    }

    /** Replaces an existing item; empty when there is none with that id. */
    public Optional<Item> replace(long id, ItemInput input) {
        return Optional.ofNullable(items.computeIfPresent(id, (key, old) -> new Item(id, input.name(), input.quantity())));
    }

    public boolean delete(long id) {
        return items.remove(id) != null;
    }
}
