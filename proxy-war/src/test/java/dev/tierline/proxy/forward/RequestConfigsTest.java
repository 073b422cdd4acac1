package dev.tierline.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.proxy.config.ForwardedMode;
import dev.tierline.proxy.config.HeaderRules;
import dev.tierline.proxy.config.RouteSettings;
import dev.tierline.proxy.config.WebSocketSettings;
import java.time.Duration;
import java.util.List;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;

class RequestConfigsTest {

    private static RouteSettings settings(long seconds) {
        return new RouteSettings(Duration.ofSeconds(2), Duration.ofSeconds(seconds), RouteSettings.UNLIMITED,
                ForwardedMode.SET, List.of(), false, false, RouteSettings.IDEMPOTENT_METHODS, false, HeaderRules.NONE,
                HeaderRules.NONE, List.of(), List.of(), true, WebSocketSettings.DEFAULT);
    }

    @Test
    void aRoutesSettings_areMadeOnce_withAndWithoutExpectContinue() {
        RequestConfigs configs = new RequestConfigs();

        assertSame(configs.of(settings(30)).plain(), configs.of(settings(30)).plain());
        assertTrue(configs.of(settings(30)).expectContinue().isExpectContinueEnabled());
        assertEquals(Timeout.ofSeconds(7), configs.of(settings(7)).plain().getResponseTimeout());
    }

    @Test
    void everNewSettings_fromReloads_doNotGrowTheCacheWithoutBound() {
        RequestConfigs configs = new RequestConfigs();

        for (int i = 1; i <= 10 * RequestConfigs.LIMIT; i++) {
            configs.of(settings(i));
        }

        assertTrue(configs.size() <= RequestConfigs.LIMIT + 1, "cached: " + configs.size());
    }
}
