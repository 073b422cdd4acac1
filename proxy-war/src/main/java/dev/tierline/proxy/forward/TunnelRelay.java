package dev.tierline.proxy.forward;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One thread and one selector for the backend side of every open tunnel: it reads what backends send, writes what
 * they could not take at once, and once a second closes tunnels idle past their timeout. The client side is the
 * container's, driven by its non-blocking listeners.
 */
final class TunnelRelay implements Closeable {

    private static final Logger LOG = Logger.getLogger(TunnelRelay.class.getName());
    private static final long SWEEP_MILLIS = 1000;

    private final Selector selector;
    private final Thread thread;
    private final Set<Tunnel> open = ConcurrentHashMap.newKeySet();
    private final Queue<Tunnel> toRegister = new ConcurrentLinkedQueue<>();
    private volatile boolean closing;

    TunnelRelay() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::run, "tierline-tunnels");
        thread.setDaemon(true);
        thread.start();
    }

    /** Counts a tunnel as open from its handshake on: the sweep closes one whose client never arrives. */
    void opened(Tunnel tunnel) {
        open.add(tunnel);
        if (closing) {
            tunnel.shut(Tunnel.GOING_AWAY);
        }
    }

    void closed(Tunnel tunnel) {
        open.remove(tunnel);
    }

    /** Has the selector watch the tunnel's backend channel, from its selector thread. */
    void watch(Tunnel tunnel) {
        toRegister.add(tunnel);
        selector.wakeup();
    }

    /** Applies a change of interest at once, rather than at the selector's next wake. */
    void wakeup() {
        selector.wakeup();
    }

    private void run() {
        long nextSweep = System.nanoTime();
        while (!closing) {
            try {
                selector.select(TunnelRelay::ready, SWEEP_MILLIS);
                for (Tunnel tunnel; (tunnel = toRegister.poll()) != null; ) {
                    try {
                        tunnel.registered(tunnel.backend().register(selector, 0, tunnel));
                    } catch (ClosedChannelException e) {
                        // Closed before it was watched.
                    }
                }
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    nextSweep = now + SWEEP_MILLIS * 1_000_000;
                    for (Tunnel tunnel : open) {
                        tunnel.closeIfIdle(now);
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "Tunnel relay: " + e, e);
            }
        }
    }

    private static void ready(SelectionKey key) {
        Tunnel tunnel = (Tunnel) key.attachment();
        if (!key.isValid()) {
            return;
        }
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            tunnel.backendWritable();
        }
        if ((ready & SelectionKey.OP_READ) != 0) {
            tunnel.pumpToClient();
        }
    }

    /** Ends every tunnel with a Close frame (1001, going away) to both sides where one can be sent, then stops. */
    @Override
    public void close() {
        closing = true;
        for (Tunnel tunnel : open) {
            tunnel.shut(Tunnel.GOING_AWAY);
        }
        selector.wakeup();
        try {
            thread.join(SWEEP_MILLIS * 2);
            // Those whose clients have not taken their Close by now end anyway.
            for (Tunnel tunnel : open) {
                tunnel.shut(Tunnel.GOING_AWAY);
            }
            selector.close();
        } catch (IOException e) {
            LOG.fine("Tunnel selector: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
