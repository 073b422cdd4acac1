package dev.tierline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.Map;
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

    @Deployment(name = "echoapp", testable = false)
    static WebArchive app() {
        return Deployments.app("echoapp");
    }

    private static Session open(WebSocketRecorder recorder) throws Exception {
        return WebSocketRecorder.open(recorder, "ws://127.0.0.1:" + Deployments.httpPort() + "/echoapp/api/echo",
                Map.of());
    }

    @Test
    void textBinaryAndAMebibyteMessage_comeBackAsSent_andAPingGetsAPong() throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        try (Session session = open(recorder)) {
            WebSocketRecorder.assertEchoes(session, recorder);
        }
    }

    @Test
    void aMessagePastTheEndpointsLimit_closesTheSessionWith1009() throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
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
