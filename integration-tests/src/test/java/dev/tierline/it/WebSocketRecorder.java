package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client session (Tomcat's client) that records what it hears: messages as text or bytes, pongs, and
 * the close.
 */
final class WebSocketRecorder extends Endpoint {

    static final long WAIT_SECONDS = 10;
    private static final int LARGEST_MESSAGE = 8 * 1024 * 1024;

    final BlockingQueue<Object> heard = new LinkedBlockingQueue<>();

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        session.setMaxTextMessageBufferSize(LARGEST_MESSAGE);
        session.setMaxBinaryMessageBufferSize(LARGEST_MESSAGE);
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) heard::add);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) heard::add);
        session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) heard::add);
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        heard.add(reason);
    }

    /** The next thing heard, within {@link #WAIT_SECONDS}. */
    Object next() throws InterruptedException {
        Object message = heard.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(message, "nothing heard within " + WAIT_SECONDS + " s");
        return message;
    }

    /** Opens a session to {@code uri}, its handshake carrying {@code headers} (Host and Origin among them, if given). */
    static Session open(WebSocketRecorder recorder, String uri, Map<String, String> headers) throws Exception {
        WebSocketContainer client = ContainerProvider.getWebSocketContainer();
        client.setDefaultMaxTextMessageBufferSize(LARGEST_MESSAGE);
        client.setDefaultMaxBinaryMessageBufferSize(LARGEST_MESSAGE);
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> request) {
                        headers.forEach((name, value) -> request.put(name, List.of(value)));
                    }
                }).build();
        return client.connectToServer(recorder, config, URI.create(uri));
    }

    /** A text message, a binary one, one of 1 MiB and a ping, each echoed by app-war's endpoint as sent. */
    static void assertEchoes(Session session, WebSocketRecorder recorder) throws Exception {
        session.getBasicRemote().sendText("hello");
        assertEquals("hello", recorder.next());

        byte[] bytes = {0, 1, 2, (byte) 255};
        session.getBasicRemote().sendBinary(ByteBuffer.wrap(bytes));
        ByteBuffer echoed = (ByteBuffer) recorder.next();
        byte[] back = new byte[echoed.remaining()];
        echoed.get(back);
        assertArrayEquals(bytes, back);

        String mebibyte = "m".repeat(1024 * 1024);
        session.getBasicRemote().sendText(mebibyte);
        assertEquals(mebibyte, recorder.next());

        session.getBasicRemote().sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.US_ASCII)));
        PongMessage pong = (PongMessage) recorder.next();
        assertEquals("are you there", StandardCharsets.US_ASCII.decode(pong.getApplicationData()).toString());
    }
}
