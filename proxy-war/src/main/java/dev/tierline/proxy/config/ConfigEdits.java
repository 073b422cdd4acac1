package dev.tierline.proxy.config;

import java.util.function.UnaryOperator;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Changes to the configuration file's document, as the admin API makes them ({@link ConfigReloader#rewrite}).
 * They check nothing themselves: the changed document is validated whole, by the same rules as any file.
 */
public final class ConfigEdits {

    private ConfigEdits() {
    }

    /** Adds a backend at the end of the cluster's list. */
    public static UnaryOperator<ObjectNode> addBackend(String cluster, ObjectNode backend) {
        return document -> {
            backends(document, cluster).add(backend);
            return document;
        };
    }

    /** Removes the backend at {@code index} of the cluster's list. */
    public static UnaryOperator<ObjectNode> removeBackend(String cluster, int index) {
        return document -> {
            backends(document, cluster).remove(index);
            return document;
        };
    }

    private static ArrayNode backends(ObjectNode document, String cluster) {
        return (ArrayNode) document.get("clusters").get(cluster).get("backends");
    }
}
