package dev.tierline.proxy.balance;

/** What a cluster may key a request by: its client's address, a header or a cookie (null when absent). */
public interface RequestKeys {

    String clientAddress();

    String header(String name);

    String cookie(String name);
}
