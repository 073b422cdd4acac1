package dev.tierline.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so a test sends exactly the bytes it means to (a client library would
 * normalise them) from the local address it chooses.
 */
final class RawHttp {

    private RawHttp() {
    }

    /**
     * A response: status, headers by lower-case name, the body with its framing removed, and the trailer fields
     * a chunked body ended with, by lower-case name.
     */
    record Response(int status, Map<String, List<String>> headers, byte[] body, Map<String, String> trailers) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(", ", values);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends {@code request} (which should say {@code Connection: close}) from {@code localAddress} and reads
     * one response, waiting at most {@code timeout} for any read.
     */
    static Response exchange(String localAddress, String host, int port, String request, Duration timeout)
            throws IOException {
        return exchange(null, localAddress, host, port, request, timeout);
    }

    /** The same over TLS with {@code tls}'s trust, when it is not null. */
    static Response exchange(javax.net.ssl.SSLContext tls, String localAddress, String host, int port, String request,
            Duration timeout) throws IOException {
        try (Socket plain = new Socket()) {
            plain.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            plain.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            plain.setSoTimeout((int) timeout.toMillis());
            Socket socket = tls == null ? plain : tls.getSocketFactory().createSocket(plain, host, port, true);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    /**
     * Reads one response from {@code in} (which must support mark), or none when the server closed the
     * connection without sending a byte.
     */
    static java.util.Optional<Response> readUnlessClosed(InputStream in) throws IOException {
        in.mark(1);
        if (in.read() == -1) {
            return java.util.Optional.empty();
        }
        in.reset();
        return java.util.Optional.of(read(in));
    }

    /**
     * True when the peer has closed {@code socket} (a read sees its end, or a reset); false when nothing is there
     * to read yet. Nothing it sends is expected: a byte read is taken as closing soon, so is counted as closed.
     */
    static boolean closedByPeer(java.net.Socket socket) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(1);
        try {
            socket.getInputStream().read();
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(timeout);
            }
        }
    }

    /** Reads one response from {@code in}. */
    static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("Not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        Response head = new Response(status, headers, new byte[0], Map.of());
        Map<String, String> trailers = new LinkedHashMap<>();
        byte[] body;
        if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
            body = chunked(in, trailers);
        } else if (head.header("content-length") != null) {
            body = in.readNBytes(Integer.parseInt(head.header("content-length")));
        } else if (status == 204 || status == 304 || status < 200) {
            body = new byte[0];
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body, trailers);
    }

    private static byte[] chunked(InputStream in, Map<String, String> trailers) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int length = Integer.parseInt(size.split(";", 2)[0].strip(), 16);
            if (length == 0) {
                for (String field = line(in); !field.isEmpty(); field = line(in)) {
                    int colon = field.indexOf(':');
                    trailers.put(field.substring(0, colon).strip().toLowerCase(Locale.ROOT), field.substring(colon + 1).strip());
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            line(in);
        }
    }

    /** One line of a head, without its CR LF. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("Connection closed in the middle of a response head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
