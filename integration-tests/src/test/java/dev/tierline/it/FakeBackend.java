package dev.tierline.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A backend that misbehaves on purpose, over a plain socket on loopback: each accepted connection is
 * handed to a behaviour that writes whatever bytes the test needs, however wrong.
 */
final class FakeBackend implements AutoCloseable {

    /** What the backend does with one connection. */
    interface Behaviour {
        void serve(Socket socket, InputStream in, OutputStream out) throws Exception;
    }

    private final ServerSocket server;

    private FakeBackend(ServerSocket server, Behaviour behaviour) {
        this.server = server;
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread connection = new Thread(() -> {
                        try (socket) {
                            socket.setSoTimeout(30_000);
                            behaviour.serve(socket, socket.getInputStream(), socket.getOutputStream());
                        } catch (Exception e) {
                            // The behaviour decides what a broken connection means.
                        }
                    }, "fake-backend-connection");
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "fake-backend-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The same over TLS, with {@code tls}'s certificate: its {@link #url()} is https. */
    static FakeBackend startTls(javax.net.ssl.SSLContext tls, Behaviour behaviour) {
        try {
            ServerSocket server = tls.getServerSocketFactory().createServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new FakeBackend(server, behaviour);
        } catch (IOException e) {
            throw new IllegalStateException("No loopback port for a fake backend", e);
        }
    }

    static FakeBackend start(Behaviour behaviour) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new FakeBackend(server, behaviour);
        } catch (IOException e) {
            throw new IllegalStateException("No loopback port for a fake backend", e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return (server instanceof javax.net.ssl.SSLServerSocket ? "https" : "http") + "://127.0.0.1:" + port();
    }

    /** Reads one request head, up to and including its empty line. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("Closed before the end of the request head");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * A request body as a backend read it, by the framing its head declares.
     *
     * @param bytes how many bytes of body arrived
     * @param whole whether the body ended as its framing says it must
     */
    record Body(int bytes, boolean whole) {
    }

    /**
     * Reads the body of the request whose head is {@code head}: chunked or by Content-Length, none without
     * either. {@code onData} runs after each part that arrived, so a test can act mid-body.
     */
    static Body readBody(String head, InputStream in, Runnable onData) {
        String lower = head.toLowerCase(java.util.Locale.ROOT);
        int length = 0;
        try {
            if (lower.contains("transfer-encoding: chunked")) {
                while (true) {
                    int size = Integer.parseInt(RawHttp.line(in).split(";", 2)[0].strip(), 16);
                    if (size == 0) {
                        RawHttp.line(in);
                        return new Body(length, true);
                    }
                    byte[] data = in.readNBytes(size);
                    length += data.length;
                    onData.run();
                    if (data.length < size) {
                        return new Body(length, false);
                    }
                    RawHttp.line(in);
                }
            }
            int at = lower.indexOf("content-length:");
            int declared = at < 0 ? 0 : Integer.parseInt(lower.substring(at + 15, lower.indexOf('\r', at)).strip());
            length = in.readNBytes(declared).length;
            return new Body(length, length == declared);
        } catch (IOException | RuntimeException e) {
            return new Body(length, false);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
