package dev.tierline.proxy.balance;

import dev.tierline.proxy.config.HashKey;

/** What a cluster may key a request by: its client's address, a header or a cookie (null when absent). */
public interface RequestKeys {

    String clientAddress();

    String header(String name);

    String cookie(String name);

    /** The request's hash key: the configured header or cookie, or its client's address without one. */
    default String keyBy(HashKey key) {
        String value = switch (key.source()) {
            case CLIENT_ADDRESS -> null;
            case HEADER -> header(key.name());
            case COOKIE -> cookie(key.name());
        };
        return value != null ? value : clientAddress();
    }

    /** A request from {@code clientAddress} with no header or cookie to go by. */
    static RequestKeys ofClient(String clientAddress) {
        return new RequestKeys() {
            @Override
            public String clientAddress() {
                return clientAddress;
            }

            @Override
            public String header(String name) {
                return null;
            }

            @Override
            public String cookie(String name) {
                return null;
            }
        };
    }
}
