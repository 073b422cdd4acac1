package dev.tierline.proxy.forward;

/**
 * The HTTP/1.1 connection pool at one moment.
 *
 * @param leased connections carrying an exchange
 * @param available idle connections kept for reuse
 * @param pending requests waiting for a connection
 * @param max the most connections the pool may hold
 */
public record PoolUse(int leased, int available, int pending, int max) {
}
