package dev.tierline.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProblemJsonErrorReportValveTest {

    @Test
    void instance_isEscapedSoAHostilePathCannotBreakTheJson() {
        assertEquals("/a\\\"b\\\\c\\u000a\\u2028", ProblemJsonErrorReportValve.escape("/a\"b\\c\n\u2028"));
    }

    @Test
    void titles_nameTheStatus_withAGenericFallback() {
        assertEquals("Not Implemented", ProblemJsonErrorReportValve.title(501));
        assertEquals("Client Error", ProblemJsonErrorReportValve.title(418));
        assertEquals("Server Error", ProblemJsonErrorReportValve.title(599));
    }
}
