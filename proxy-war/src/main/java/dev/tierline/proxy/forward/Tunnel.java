package dev.tierline.proxy.forward;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.logging.Logger;

/**
 * One WebSocket connection after its handshake: the client's upgraded connection on one side, the backend's
 * socket on the other, bytes relayed both ways as they come. The backend's bytes are read on the
 * {@link TunnelRelay}'s selector and written to the client without blocking; while the client takes no more,
 * nothing more is read from the backend. The client's bytes are read in the container's own dispatches, the
 * only safe place to read an upgraded connection, and written to the backend; a backend that takes no more
 * holds that thread until it does (a backend that stalls for good is ended by the idle timeout). Each direction
 * holds one buffer.
 *
 * <p>The tunnel ends when either side closes or fails, when it has been idle for its route's timeout, or when the
 * web tier stops. Where the proxy ends it, each side still open gets a Close frame (1001, going away) if the
 * stream towards it is between frames and it has not had one already, so WebSocket peers see a clean close.
 * The container closes the client's socket at its next event once both of its streams are closed: the client's
 * answering Close, or its own close.
 */
final class Tunnel implements ReadListener, WriteListener {

    private static final Logger LOG = Logger.getLogger(Tunnel.class.getName());

    /** RFC 6455 section 7.4.1: an endpoint going away, such as a server going down. */
    static final int GOING_AWAY = 1001;

    private static final int BUFFER_BYTES = 16 * 1024;
    /** How long a wait for a stalled backend lasts before the tunnel looks again whether it has ended. */
    private static final long WRITABLE_WAIT_MILLIS = 1000;

    private final TunnelRelay relay;
    private final SocketChannel backend;
    private final long idleNanos;
    /** Run once, when the tunnel ends: frees its place in the route's count and ends the backend's attempt. */
    private final Runnable ended;
    private final String description;
    /** Client bytes not yet taken by the backend. */
    private final ByteBuffer toBackend = ByteBuffer.allocate(BUFFER_BYTES).flip();
    /** Backend bytes not yet given to the client: first, what came after the backend's 101. */
    private final ByteBuffer toClient;
    private final FrameBoundary fromClient = new FrameBoundary();
    private final FrameBoundary fromBackend = new FrameBoundary();
    private SelectionKey key;
    /** The selector's interest in the backend's channel, kept here until the channel is registered. */
    private int interest = SelectionKey.OP_READ;
    private ServletInputStream in;
    private ServletOutputStream out;
    private boolean backendEnded;
    private boolean closeToClientDue;
    /** The backend's connection failed on a write: the client's bytes are dropped until its read side ends. */
    private boolean backendRefuses;
    private boolean over;
    private volatile long lastActive = System.nanoTime();

    Tunnel(TunnelRelay relay, SocketChannel backend, byte[] early, long idleNanos, Runnable ended, String description) {
        this.relay = relay;
        this.backend = backend;
        this.idleNanos = idleNanos;
        this.ended = ended;
        this.description = description;
        this.toClient = ByteBuffer.allocate(Math.max(BUFFER_BYTES, early.length)).put(early).flip();
        fromBackend.advance(early, 0, early.length);
        relay.opened(this);
    }

    SocketChannel backend() {
        return backend;
    }

    /** The client's side is ready: the container calls the listeners from here on. */
    synchronized void start(WebConnection connection) throws IOException {
        in = connection.getInputStream();
        out = connection.getOutputStream();
        in.setReadListener(this);
        out.setWriteListener(this);
        if (over) {
            // Ended before the client's side was ready (the web tier stopping): with both streams closed, the
            // container closes the connection at its first call.
            in.close();
            out.close();
            return;
        }
        relay.watch(this);
        // What the client sent right after its handshake may already be in the container's buffer, where no
        // socket event will announce it.
        pumpToBackend();
    }

    /** On the selector's thread, once the backend's channel is registered. */
    synchronized void registered(SelectionKey registered) {
        key = registered;
        if (over) {
            registered.cancel();
            return;
        }
        registered.interestOps(interest);
    }

    @Override
    public void onDataAvailable() {
        pumpToBackend();
    }

    @Override
    public void onAllDataRead() {
        clientEnded();
    }

    @Override
    public void onWritePossible() {
        pumpToClient();
    }

    @Override
    public synchronized void onError(Throwable failure) {
        LOG.fine(() -> description + ": client connection failed: " + failure);
        clientEnded();
    }

    /**
     * Client to backend, on the container's thread (the only one that may read an upgraded connection: the container
     * reads it in its own dispatches too), until the client has nothing more now. While the backend takes no more,
     * this thread waits for it: the client's bytes stay where they are, and a backend that stays stalled is
     * ended by the idle timeout.
     */
    synchronized void pumpToBackend() {
        if (over || in == null) {
            return;
        }
        while (true) {
            while (toBackend.hasRemaining()) {
                try {
                    backend.write(toBackend);
                } catch (IOException e) {
                    // The backend closed or reset its connection, usually right after a Close of its own (which a
                    // reset would lose if we ended now): its side is read to its end first, and what the client
                    // sends meanwhile is dropped.
                    LOG.fine(() -> description + ": backend takes no more: " + e);
                    backendRefuses = true;
                    toBackend.limit(0);
                    pumpToClient();
                    if (over) {
                        return;
                    }
                }
                if (toBackend.hasRemaining()) {
                    want(SelectionKey.OP_WRITE, true);
                    try {
                        wait(WRITABLE_WAIT_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        end();
                    }
                    if (over) {
                        return;
                    }
                }
            }
            want(SelectionKey.OP_WRITE, false);
            int read;
            try {
                if (!in.isReady()) {
                    // The container calls onDataAvailable when the client sends more.
                    return;
                }
                read = in.read(toBackend.array(), 0, toBackend.capacity());
            } catch (IOException | RuntimeException e) {
                // A RuntimeException too: the container's isReady() can fail that way on a connection reset under it.
                LOG.fine(() -> description + ": client connection failed: " + e);
                clientEnded();
                return;
            }
            if (read < 0) {
                clientEnded();
                return;
            }
            if (backendRefuses) {
                continue;
            }
            toBackend.position(0).limit(read);
            fromClient.advance(toBackend.array(), 0, read);
            lastActive = System.nanoTime();
        }
    }

    /** On the selector's thread: the backend takes more, and the container's thread waiting to write goes on. */
    synchronized void backendWritable() {
        want(SelectionKey.OP_WRITE, false);
        notifyAll();
    }

    /** Backend to client, until the backend has nothing more now or the client can take no more now. */
    synchronized void pumpToClient() {
        if (over || out == null) {
            return;
        }
        try {
            while (true) {
                if (toClient.hasRemaining()) {
                    if (!out.isReady()) {
                        // The container calls onWritePossible when the client has taken what it has; until then
                        // nothing more is read from the backend.
                        want(SelectionKey.OP_READ, false);
                        return;
                    }
                    out.write(toClient.array(), toClient.position(), toClient.remaining());
                    toClient.position(toClient.limit());
                    if (out.isReady()) {
                        // The container keeps a non-blocking write in its buffer until told to send it; when its
                        // buffer is full (not ready) it sends the rest itself, then calls onWritePossible.
                        out.flush();
                    }
                    continue;
                }
                if (backendEnded) {
                    if (closeToClientDue) {
                        // The backend went without a Close: the client gets one in its name, after all it sent.
                        closeToClientDue = false;
                        toClient.clear().put(FrameBoundary.closeFromServer(GOING_AWAY)).flip();
                        continue;
                    }
                    if (out.isReady()) {
                        // All of it is on its way to the client.
                        end();
                    }
                    return;
                }
                toClient.clear();
                int read;
                try {
                    read = backend.read(toClient);
                } catch (IOException e) {
                    toClient.flip();
                    backendGone(e);
                    return;
                }
                toClient.flip();
                if (read < 0) {
                    backendGone(null);
                    return;
                }
                if (read == 0) {
                    want(SelectionKey.OP_READ, true);
                    return;
                }
                fromBackend.advance(toClient.array(), 0, read);
                lastActive = System.nanoTime();
            }
        } catch (IOException | RuntimeException e) {
            LOG.fine(() -> description + ": client connection failed: " + e);
            clientEnded();
        }
    }

    /** The backend closed its connection or it failed: the client gets what it sent, then a Close if it sent none. */
    private void backendGone(IOException failure) {
        if (failure != null) {
            LOG.fine(() -> description + ": backend connection failed: " + failure);
        }
        backendEnded = true;
        closeToClientDue = !fromBackend.closeSent() && fromBackend.atBoundary();
        want(SelectionKey.OP_READ, false);
        want(SelectionKey.OP_WRITE, false);
        pumpToClient();
    }

    /**
     * The client closed its connection or it failed: what it sent is passed on as far as the backend takes it at
     * once, with a Close in its name if it sent none, and the backend's connection is closed.
     */
    private synchronized void clientEnded() {
        if (over) {
            return;
        }
        try {
            if (toBackend.hasRemaining()) {
                backend.write(toBackend);
            }
            if (!toBackend.hasRemaining() && !fromClient.closeSent() && fromClient.atBoundary()) {
                backend.write(ByteBuffer.wrap(FrameBoundary.closeFromClient(GOING_AWAY)));
            }
        } catch (IOException e) {
            // Closing anyway.
        }
        end();
    }

    /**
     * Ends the tunnel from the proxy's side (idle, or the web tier stopping): each side gets a Close (1001) where one
     * can be sent without cutting a frame, then both connections are closed.
     */
    synchronized void shut(int code) {
        if (over) {
            return;
        }
        try {
            if (!toBackend.hasRemaining() && !fromClient.closeSent() && fromClient.atBoundary()) {
                backend.write(ByteBuffer.wrap(FrameBoundary.closeFromClient(code)));
            }
        } catch (IOException e) {
            // Closing anyway.
        }
        try {
            if (out != null && !toClient.hasRemaining() && !fromBackend.closeSent() && fromBackend.atBoundary()
                    && out.isReady()) {
                out.write(FrameBoundary.closeFromServer(code));
                if (out.isReady()) {
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Closing anyway.
        }
        end();
    }

    void closeIfIdle(long now) {
        if (now - lastActive > idleNanos) {
            LOG.fine(() -> description + ": idle for " + (idleNanos / 1_000_000) + " ms, closed");
            shut(GOING_AWAY);
        }
    }

    /** The container closed the client's connection: the tunnel ends with it. */
    void destroyed() {
        shut(GOING_AWAY);
    }

    private void want(int operation, boolean wanted) {
        int next = wanted ? interest | operation : interest & ~operation;
        if (next == interest) {
            return;
        }
        interest = next;
        if (key != null && key.isValid()) {
            key.interestOps(next);
            if (wanted) {
                relay.wakeup();
            }
        }
    }

    /** Closes both sides, once. */
    private synchronized void end() {
        if (over) {
            return;
        }
        over = true;
        notifyAll();
        if (key != null) {
            key.cancel();
        }
        try {
            backend.close();
        } catch (IOException e) {
            LOG.fine(() -> description + ": " + e);
        }
        try {
            if (in != null) {
                in.close();
            }
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            LOG.fine(() -> description + ": " + e);
        }
        relay.closed(this);
        ended.run();
    }
}
