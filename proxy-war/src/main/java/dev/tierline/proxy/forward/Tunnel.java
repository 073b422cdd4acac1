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
import java.util.ArrayDeque;
import java.util.logging.Logger;

/**
 * One WebSocket connection after its handshake: the client's upgraded connection on one side, the backend's
 * socket on the other, bytes relayed both ways as they come, and no thread waits on either side.
 *
 * <p>Backend to client: the {@link TunnelRelay}'s selector reads the backend and writes to the client without
 * blocking; while the client takes no more, nothing more is read from the backend (so the backend's own sends
 * wait), until the container calls onWritePossible.
 *
 * <p>Client to backend: the client is read only in the container's own dispatches (onDataAvailable), the one safe
 * place to read an upgraded connection, since the container reads it there too; and a dispatch must read what is
 * there, or no event will come for it. What the backend cannot take at once is queued and written by the
 * selector as the backend takes more. A backend that lets {@value #MAX_QUEUED_BYTES} bytes pile up is not keeping
 * up: the tunnel is ended (Close 1013, try again later), rather than hold a thread or unbounded memory for it.
 *
 * <p>The tunnel ends when either side closes or fails, when it has been idle for its route's timeout, or when the
 * web tier stops. Where the proxy ends it, each side still open gets a Close frame if the stream towards it is
 * between frames and it has not had one already, so WebSocket peers see a clean close. The container closes the
 * client's socket at its next event once both of its streams are closed: the client's answering Close, or its
 * own close.
 */
final class Tunnel implements ReadListener, WriteListener {

    private static final Logger LOG = Logger.getLogger(Tunnel.class.getName());

    /** RFC 6455 section 7.4.1: an endpoint going away, such as a server going down. */
    static final int GOING_AWAY = 1001;

    /** RFC 6455 section 7.4.1 (IANA registry): the service is overloaded, try again later. */
    static final int TRY_AGAIN_LATER = 1013;

    private static final int BUFFER_BYTES = 16 * 1024;
    /** The most client bytes queued for a backend slower than its client. */
    static final int MAX_QUEUED_BYTES = 1024 * 1024;
    /** How much a closing tunnel reads of what the backend sent, so that closing its socket does not reset it. */
    private static final int DRAIN_ON_CLOSE_BYTES = 64 * 1024;

    private final TunnelRelay relay;
    private final SocketChannel backend;
    private final long idleNanos;
    /** Run once, when the tunnel ends: frees its place in the route's count and ends the backend's attempt. */
    private final Runnable ended;
    private final String description;
    /** Where the client's bytes are read into. */
    private final byte[] fromClientBytes = new byte[BUFFER_BYTES];
    /** Client bytes the backend has not taken yet, oldest first. */
    private final ArrayDeque<ByteBuffer> toBackend = new ArrayDeque<>();
    private int queuedBytes;
    /** Backend bytes not yet given to the client: first, what came after the backend's 101. */
    private final ByteBuffer toClient;
    private final FrameBoundary fromClient = new FrameBoundary();
    private final FrameBoundary fromBackend = new FrameBoundary();
    private SelectionKey key;
    /** The selector's interest in the backend's channel, kept here until the channel is registered. */
    private int interest = SelectionKey.OP_READ;
    private ServletInputStream in;
    private ServletOutputStream out;
    /** Nothing more is read from the backend: it went, or the proxy is ending the tunnel. */
    private boolean backendEnded;
    /** The Close the client gets in the proxy's name once all before it is written, or 0 for none. */
    private int closeToClient;
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

    /** Client to backend, in the container's dispatch: everything the client has sent now. */
    synchronized void pumpToBackend() {
        if (over || in == null) {
            return;
        }
        while (!over) {
            int read;
            try {
                if (!in.isReady()) {
                    // The container calls onDataAvailable when the client sends more.
                    return;
                }
                read = in.read(fromClientBytes, 0, fromClientBytes.length);
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
            fromClient.advance(fromClientBytes, 0, read);
            lastActive = System.nanoTime();
            sendToBackend(ByteBuffer.wrap(fromClientBytes, 0, read));
        }
    }

    /** Writes what the backend takes now, and queues the rest for the selector to write. */
    private void sendToBackend(ByteBuffer data) {
        if (toBackend.isEmpty()) {
            try {
                backend.write(data);
            } catch (IOException e) {
                backendRefused(e);
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
        }
        if (queuedBytes + data.remaining() > MAX_QUEUED_BYTES) {
            LOG.fine(() -> description + ": the backend does not keep up with its client, "
                    + queuedBytes + " bytes waiting for it");
            // What the backend already sent (its own Close, perhaps) goes to the client first.
            pumpToClient();
            shut(TRY_AGAIN_LATER);
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
        toBackend.add(copy);
        queuedBytes += copy.remaining();
        want(SelectionKey.OP_WRITE, true);
    }

    /** On the selector's thread: the backend takes more of what is queued for it. */
    synchronized void backendWritable() {
        if (over) {
            return;
        }
        try {
            for (ByteBuffer next; (next = toBackend.peek()) != null; ) {
                queuedBytes -= backend.write(next);
                if (next.hasRemaining()) {
                    return;
                }
                toBackend.poll();
            }
            want(SelectionKey.OP_WRITE, false);
        } catch (IOException e) {
            backendRefused(e);
        }
    }

    /**
     * The backend closed or reset its connection under a write, usually right after a Close of its own (which a
     * reset would lose if the tunnel ended now): its side is read to its end first, and what the client sends
     * meanwhile is dropped.
     */
    private void backendRefused(IOException failure) {
        LOG.fine(() -> description + ": backend takes no more: " + failure);
        backendRefuses = true;
        toBackend.clear();
        queuedBytes = 0;
        want(SelectionKey.OP_WRITE, false);
        pumpToClient();
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
                    if (closeToClient != 0) {
                        toClient.clear().put(FrameBoundary.closeFromServer(closeToClient)).flip();
                        closeToClient = 0;
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
        // Without a Close of its own, the client gets one in its name.
        finishClientSide(GOING_AWAY);
    }

    /**
     * Reads no more from the backend, and ends the tunnel once the client has all it was sent, with a Close ({@code
     * code}) after it if the stream is between frames and had none; at once when the client's side never started.
     */
    private void finishClientSide(int code) {
        backendEnded = true;
        closeToClient = !fromBackend.closeSent() && fromBackend.atBoundary() ? code : 0;
        want(SelectionKey.OP_READ, false);
        want(SelectionKey.OP_WRITE, false);
        if (out == null) {
            end();
            return;
        }
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
            for (ByteBuffer next; (next = toBackend.peek()) != null && !backendRefuses; toBackend.poll()) {
                backend.write(next);
                if (next.hasRemaining()) {
                    break;
                }
            }
        } catch (IOException e) {
            // Closing anyway.
        }
        closeTowardsBackend(GOING_AWAY);
        end();
    }

    /** A Close in the client's name to the backend, if one may go: nothing queued before it, between frames, none yet. */
    private void closeTowardsBackend(int code) {
        if (toBackend.isEmpty() && !backendRefuses && !fromClient.closeSent() && fromClient.atBoundary()) {
            try {
                backend.write(ByteBuffer.wrap(FrameBoundary.closeFromClient(code)));
            } catch (IOException e) {
                // Closing anyway.
            }
        }
    }

    /**
     * Ends the tunnel from the proxy's side (idle, a backend that does not keep up, the web tier stopping): each side
     * gets a Close with {@code code} where one can be sent without cutting a frame. The backend's connection is done
     * with at once; the client's once what it was sent, the Close last, is written (the container may not take it at
     * once: the client's first write is the container's to begin). Asked again before then, it ends at once.
     */
    synchronized void shut(int code) {
        if (over) {
            return;
        }
        if (backendEnded) {
            end();
            return;
        }
        closeTowardsBackend(code);
        // What the client sends from now on is dropped.
        backendRefuses = true;
        toBackend.clear();
        queuedBytes = 0;
        finishClientSide(code);
    }

    void closeIfIdle(long now) {
        if (now - lastActive > idleNanos) {
            LOG.fine(() -> description + ": idle for " + (idleNanos / 1_000_000) + " ms, closed");
            shut(GOING_AWAY);
        }
    }

    /** The container closed the client's connection, or never gave it: the tunnel ends with it. */
    void destroyed() {
        clientEnded();
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
        if (key != null) {
            key.cancel();
        }
        try {
            // Closing a socket with unread bytes resets it, and a reset can lose what was just written to it (a Close).
            ByteBuffer sink = ByteBuffer.allocate(BUFFER_BYTES);
            for (int drained = 0; drained < DRAIN_ON_CLOSE_BYTES && backend.isOpen(); drained += sink.position()) {
                if (backend.read(sink.clear()) <= 0) {
                    break;
                }
            }
        } catch (IOException e) {
            // Closing anyway.
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
