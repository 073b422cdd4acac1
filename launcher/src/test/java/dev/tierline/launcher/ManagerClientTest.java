package dev.tierline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ManagerClientTest {

    private static final URI MANAGER = URI.create("http://127.0.0.1:5100/manager/");

    private static String refusal(int status, String body) {
        return assertThrows(LauncherException.class, () -> ManagerClient.requireOk(status, body, MANAGER)).getMessage();
    }

    @Test
    void anOkAnswer_isReturned() {
        String ok = "OK - Deployed application at context path [/]\n";

        assertEquals(ok, ManagerClient.requireOk(200, ok, MANAGER));
    }

    @Test
    void aFailAnswer_isReportedByItsFirstLine() {
        assertEquals("FAIL - Deployed application at context path [/] but context failed to start",
                refusal(200, "FAIL - Deployed application at context path [/] but context failed to start\nmore\n"));
    }

    @Test
    void anAnswerThatDoesNotStartWithOk_isAFailure() {
        assertEquals("<html>", refusal(200, "<html>\n<body>OK - </body>"));
        assertEquals("an empty answer", refusal(200, ""));
    }

    @Test
    void theStatusesOfAManager_sayWhatIsWrong() {
        assertEquals("the Manager refused the deployer's user or password (401)", refusal(401, "{}"));
        assertTrue(refusal(403, "").contains("manager-script"));
        assertEquals("there is no Manager at " + MANAGER + " (404)", refusal(404, ""));
        assertEquals("the Manager answered HTTP 500", refusal(500, "OK - but not really"));
    }
}
