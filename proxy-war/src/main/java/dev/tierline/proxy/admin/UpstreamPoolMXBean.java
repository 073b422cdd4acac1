package dev.tierline.proxy.admin;

/**
 * The web tier's pool of HTTP/1.1 connections to the app tier, over JMX ({@code dev.tierline:type=UpstreamPool}),
 * as the metrics' {@code tierline_upstream_pool_connections} show it: each figure is -1 while the upstream
 * protocol is h2c, which keeps one connection per backend and no pool.
 */
public interface UpstreamPoolMXBean {

    /** Connections carrying an exchange now. */
    int getLeased();

    /** Idle connections kept for the next exchange. */
    int getAvailable();

    /** Exchanges waiting for a connection. */
    int getPending();

    /** The most connections the pool may hold. */
    int getMax();
}
