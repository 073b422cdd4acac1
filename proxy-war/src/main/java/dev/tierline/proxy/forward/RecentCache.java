package dev.tierline.proxy.forward;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values made once per key rather than per request, for keys taken from the configuration (a route's settings,
 * a backend), which are the same objects from one request to the next until a reload brings new ones. The keys
 * seen lately are matched by identity first: a record's hash and equality walk all its fields. Each reload can
 * bring new keys, so the cache is bounded: past its limit it starts again, instead of keeping every key a
 * long-running proxy ever had.
 */
final class RecentCache<K, V> {

    static final int LIMIT = 256;

    private static final int RECENT = 16;

    private record Recent<K, V>(K key, V value) {
    }

    private final Function<K, V> make;
    private final Map<K, V> values = new ConcurrentHashMap<>();
    private volatile Recent<K, V>[] recent = newArray(0);

    /** @param make makes the value of a key not cached; called again after the cache starts again */
    RecentCache(Function<K, V> make) {
        this.make = make;
    }

    V of(K key) {
        Recent<K, V>[] seen = recent;
        for (Recent<K, V> entry : seen) {
            if (entry.key() == key) {
                return entry.value();
            }
        }
        if (values.size() > LIMIT) {
            values.clear();
        }
        V found = values.computeIfAbsent(key, make);
        // Starts again when full, as the map does.
        Recent<K, V>[] next = seen.length < RECENT ? Arrays.copyOf(seen, seen.length + 1) : newArray(1);
        next[next.length - 1] = new Recent<>(key, found);
        recent = next;
        return found;
    }

    int size() {
        return values.size();
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Recent<K, V>[] newArray(int length) {
        return (Recent<K, V>[]) new Recent<?, ?>[length];
    }
}
