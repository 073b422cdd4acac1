package dev.tierline.proxy.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A route's changes to the headers of one direction, applied after the proxy's own: the named headers removed,
 * then each of {@code set} replacing any of its name, then each of {@code add} added beside any of its name
 * (nginx's proxy_set_header and add_header, YARP's RequestHeader and ResponseHeader transforms).
 *
 * @param remove names to remove
 * @param set name and value, replacing whatever was there
 * @param add name and value, added
 */
public record HeaderRules(List<String> remove, Map<String, String> set, Map<String, String> add) {

    public static final HeaderRules NONE = new HeaderRules(List.of(), Map.of(), Map.of());

    /**
     * Headers no rule may name: the message's framing and connection management, which the proxy and the
     * container keep consistent with the body, and the Host the request is routed and sent by.
     */
    public static final Set<String> PROTECTED = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "te", "trailer", "host");

    public HeaderRules {
        remove = List.copyOf(remove);
        set = Map.copyOf(set);
        add = Map.copyOf(add);
    }

    public boolean isEmpty() {
        return remove.isEmpty() && set.isEmpty() && add.isEmpty();
    }

    /** Applies the rules through a message's own operations: remove by name, set, add. */
    public void apply(Consumer<String> removeHeader, BiConsumer<String, String> setHeader,
            BiConsumer<String, String> addHeader) {
        remove.forEach(removeHeader);
        // Every value of the name goes, not only the first: a client that sends one twice keeps none of them.
        set.forEach((name, value) -> {
            removeHeader.accept(name);
            setHeader.accept(name, value);
        });
        add.forEach(addHeader);
    }

    static boolean isProtected(String name) {
        return PROTECTED.contains(name.toLowerCase(Locale.ROOT));
    }
}
