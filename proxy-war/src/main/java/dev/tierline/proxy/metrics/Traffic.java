package dev.tierline.proxy.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Requests the web tier answered, by route, backend and the class of the status the client got. */
public final class Traffic {

    /** What a request is counted by; {@code "-"} stands for no route or no backend. */
    public record Key(String route, String backend, String statusClass) implements Comparable<Key> {

        @Override
        public int compareTo(Key other) {
            return toString().compareTo(other.toString());
        }
    }

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

    /**
     * @param route the route's id, or null when none matched
     * @param backend the backend's id, or null when the request went to none
     * @param status the status the client got (499, as nginx logs it, when it left first)
     */
    public void record(String route, String backend, int status) {
        Key key = new Key(route == null ? "-" : route, backend == null ? "-" : backend, statusClass(status));
        counts.computeIfAbsent(key, any -> new LongAdder()).increment();
    }

    static String statusClass(int status) {
        return status >= 100 && status < 600 ? status / 100 + "xx" : "other";
    }

    /** Every count so far, in a stable order. */
    public Map<Key, Long> counts() {
        Map<Key, Long> copy = new TreeMap<>();
        counts.forEach((key, count) -> copy.put(key, count.sum()));
        return copy;
    }
}
