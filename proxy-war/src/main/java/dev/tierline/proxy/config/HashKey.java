package dev.tierline.proxy.config;

/**
 * What a hashing policy keys requests by: the client's address (the default), a header or a cookie; a
 * request without the header or cookie is keyed by its client's address.
 */
public record HashKey(Source source, String name) {

    public enum Source { CLIENT_ADDRESS, HEADER, COOKIE }

    public static final HashKey CLIENT_ADDRESS = new HashKey(Source.CLIENT_ADDRESS, null);
}
