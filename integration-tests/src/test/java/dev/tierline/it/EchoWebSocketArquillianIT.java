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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * app-war's WebSocket echo endpoint, reached directly with Tomcat's WebSocket client, on both containers:
 * text and binary messages, one of 1 MiB, a ping, and a message past the endpoint's limit.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EchoWebSocketArquillianIT {

    private static final long WAIT_SECONDS = 10;

    @Deployment(name = "echoapp", testable = false)
    static WebArchive app() {
        return Deployments.app("echoapp");
    }

    /** What the client heard: messages as text or bytes, pongs, and the close. */
    private static final class Recorder extends Endpoint {
        final BlockingQueue<Object> heard = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxTextMessageBufferSize(8 * 1024 * 1024);
            session.setMaxBinaryMessageBufferSize(8 * 1024 * 1024);
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) heard::add);
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) heard::add);
            session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) heard::add);
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            heard.add(reason);
        }

        Object next() throws InterruptedException {
            Object message = heard.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(message, "nothing heard within " + WAIT_SECONDS + " s");
            return message;
        }
    }

    private static Session open(Recorder recorder) throws Exception {
        WebSocketContainer client = ContainerProvider.getWebSocketContainer();
        client.setDefaultMaxTextMessageBufferSize(8 * 1024 * 1024);
        client.setDefaultMaxBinaryMessageBufferSize(8 * 1024 * 1024);
        return client.connectToServer(recorder, ClientEndpointConfig.Builder.create().build(),
                URI.create("ws://127.0.0.1:" + Deployments.httpPort() + "/echoapp/api/echo"));
    }

    @Test
    void textBinaryAndAMebibyteMessage_comeBackAsSent_andAPingGetsAPong() throws Exception {
        Recorder recorder = new Recorder();
        try (Session session = open(recorder)) {
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

    @Test
    void aMessagePastTheEndpointsLimit_closesTheSessionWith1009() throws Exception {
        Recorder recorder = new Recorder();
        Session session = open(recorder);
        try {
            session.getBasicRemote().sendText("x".repeat(5 * 1024 * 1024));
        } catch (IllegalStateException | java.io.IOException e) {
            // The endpoint closed the session while the message was still going out.
        }

        CloseReason reason = (CloseReason) recorder.next();
        assertEquals(CloseReason.CloseCodes.TOO_BIG, reason.getCloseCode());
    }
}
