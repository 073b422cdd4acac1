package dev.tierline.app;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /api/echo}, over WebSocket: each text or binary message is sent back as it came, up to
 * {@link #MAX_MESSAGE} bytes (a larger one closes the session with 1009, as the protocol says). Pings are
 * answered with pongs by the container.
 */
public final class EchoEndpoint extends Endpoint {

    public static final String PATH = "/api/echo";
    static final int MAX_MESSAGE = 4 * 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(EchoEndpoint.class.getName());

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        session.setMaxTextMessageBufferSize(MAX_MESSAGE);
        session.setMaxBinaryMessageBufferSize(MAX_MESSAGE);
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
            try {
                session.getBasicRemote().sendText(text);
            } catch (IOException e) {
                close(session, e);
            }
        });
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) bytes -> {
            try {
                session.getBasicRemote().sendBinary(bytes);
            } catch (IOException e) {
                close(session, e);
            }
        });
    }

    private static void close(Session session, IOException cause) {
        LOG.log(Level.FINE, "Echo not delivered; closing", cause);
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "echo failed"));
        } catch (IOException e) {
            // Gone already.
        }
    }
}
