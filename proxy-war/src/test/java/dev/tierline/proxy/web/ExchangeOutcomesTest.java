package dev.tierline.proxy.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExchangeOutcomesTest {

    @Test
    void theUpstreamTime_isWrittenInSecondsWithThreeDecimals() {
        assertEquals("0.000", ExchangeOutcomes.seconds(0));
        assertEquals("0.007", ExchangeOutcomes.seconds(7));
        assertEquals("0.012", ExchangeOutcomes.seconds(12));
        assertEquals("0.100", ExchangeOutcomes.seconds(100));
        assertEquals("1.234", ExchangeOutcomes.seconds(1234));
        assertEquals("61.005", ExchangeOutcomes.seconds(61_005));
    }
}
