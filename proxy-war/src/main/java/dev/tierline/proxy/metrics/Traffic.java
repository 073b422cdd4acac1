package dev.tierline.proxy.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests the web tier answered, by route, backend and the class of the status the client got. Counting
 * allocates nothing once a route and backend have been seen: it runs for every request.
 */
public final class Traffic {

    /** What a request is counted by; {@code "-"} stands for no route or no backend. */
    public record Key(String route, String backend, String statusClass) implements Comparable<Key> {

        @Override
        public int compareTo(Key other) {
            return toString().compareTo(other.toString());
        }
    }

    /** The classes, by {@code status / 100}; the last for a status outside 100 to 599. */
    private static final String[] CLASSES = {"other", "1xx", "2xx", "3xx", "4xx", "5xx", "other"};

    private final Map<String, Map<String, LongAdder[]>> counts = new ConcurrentHashMap<>();

    /**
     * @param route the route's id, or null when none matched
     * @param backend the backend's id, or null when the request went to none
     * @param status the status the client got (499, as nginx logs it, when it left first)
     */
    public void record(String route, String backend, int status) {
        LongAdder[] classes = counts.computeIfAbsent(route == null ? "-" : route, any -> new ConcurrentHashMap<>())
                .computeIfAbsent(backend == null ? "-" : backend, any -> newCounters());
        classes[classIndex(status)].increment();
    }

    private static LongAdder[] newCounters() {
        LongAdder[] counters = new LongAdder[CLASSES.length];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new LongAdder();
        }
        return counters;
    }

    private static int classIndex(int status) {
        return status >= 100 && status < 600 ? status / 100 : CLASSES.length - 1;
    }

    /** Every count so far, in a stable order; classes without a request are left out. */
    public Map<Key, Long> counts() {
        Map<Key, Long> copy = new TreeMap<>();
        counts.forEach((route, backends) -> backends.forEach((backend, classes) -> {
            for (int i = 0; i < classes.length; i++) {
                long sum = classes[i].sum();
                if (sum > 0) {
                    copy.merge(new Key(route, backend, CLASSES[i]), sum, Long::sum);
                }
            }
        }));
        return copy;
    }
}
