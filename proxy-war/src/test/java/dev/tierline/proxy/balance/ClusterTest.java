package dev.tierline.proxy.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tierline.proxy.config.AdminState;
import dev.tierline.proxy.config.Affinity;
import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.config.BackendConfig;
import dev.tierline.proxy.config.ClusterConfig;
import dev.tierline.proxy.config.HashKey;
import dev.tierline.proxy.config.HealthRules;
import dev.tierline.proxy.config.LoadBalancing;
import dev.tierline.proxy.config.ProbeRules;
import dev.tierline.proxy.forward.BackendChoice;
import dev.tierline.proxy.forward.ForwardOutcome;
import dev.tierline.proxy.health.BackendHealth;
import dev.tierline.proxy.metrics.BackendStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Choosing among a cluster's members; what health does with each outcome is in BackendHealthTest. */
class ClusterTest {

    private static final HealthRules RULES =
            new HealthRules(3, Duration.ofSeconds(5), Duration.ofSeconds(40), Duration.ofSeconds(10), false);

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private static List<Backend> backends(String... ids) {
        List<Backend> backends = new ArrayList<>();
        for (String id : ids) {
            backends.add(new Backend(id, "http", id, 1, ""));
        }
        return backends;
    }

    private Cluster cluster(HealthRules rules, String... ids) {
        return cluster(ClusterConfig.of("app", backends(ids), LoadBalancing.ROUND_ROBIN, rules), new RetryBudget(0.2, 10));
    }

    /** The cluster {@code config} describes, balanced round robin, on the test's clock. */
    private Cluster cluster(ClusterConfig config, RetryBudget budget) {
        List<BackendState> members = new ArrayList<>();
        for (BackendConfig member : config.backends()) {
            members.add(new BackendState(member.backend(), member.weight(),
                    new BackendHealth(member.backend(), config.health(), clock::get),
                    new BackendStats(() -> clock.get() / 1_000_000)));
        }
        return new Cluster(config, members, new RoundRobin(), budget, clock::get);
    }

    private void advance(Duration by) {
        clock.addAndGet(by.toNanos());
    }

    private static String id(BackendChoice choice) {
        return choice.backend().id();
    }

    @Test
    void aRefusedAttempt_isOfferedAnotherBackend_andNeverTheSameOneAgain() {
        Cluster cluster = cluster(RULES, "a", "b");
        BackendChoice first = cluster.choose("k").orElseThrow();
        String firstId = id(first);

        first.ended(ForwardOutcome.CONNECT_REFUSED);
        BackendChoice second = first.retry(ForwardOutcome.CONNECT_REFUSED).orElseThrow();

        assertFalse(firstId.equals(id(second)));
        second.ended(ForwardOutcome.CONNECT_REFUSED);
        assertEquals(Optional.empty(), second.retry(ForwardOutcome.CONNECT_REFUSED), "both were tried");
    }

    @Test
    void eachAttempt_isCountedInItsMembersStatistics_andEachRetryInTheClusters() {
        Cluster cluster = cluster(RULES, "a", "b");
        BackendChoice first = cluster.choose("k").orElseThrow();
        first.ended(ForwardOutcome.CONNECT_REFUSED);
        BackendChoice second = first.retry(ForwardOutcome.CONNECT_REFUSED).orElseThrow();
        second.ended(ForwardOutcome.COMPLETED);

        assertEquals(1, cluster.retries());
        for (BackendState member : cluster.members()) {
            assertEquals(1, member.stats().requests(), member.toString());
        }
        BackendState refused = cluster.members().stream()
                .filter(member -> member.backend().equals(first.backend())).findFirst().orElseThrow();
        assertEquals(java.util.Map.of(ForwardOutcome.CONNECT_REFUSED, 1L), refused.stats().outcomes());
    }

    @Test
    void attemptsAreCountedInFlight_untilTheyEnd() {
        Cluster cluster = cluster(RULES, "a");
        BackendChoice one = cluster.choose("k").orElseThrow();
        BackendChoice two = cluster.choose("k").orElseThrow();
        BackendState a = cluster.members().get(0);

        assertEquals(2, a.inFlight());
        one.ended(ForwardOutcome.COMPLETED);
        two.ended(ForwardOutcome.CLIENT_ABORTED);
        assertEquals(0, a.inFlight());
    }

    @Test
    void failedAttempts_reachTheBackendsHealth_andAnEjectedBackendGetsNoRequests() {
        Cluster cluster = cluster(RULES, "a", "b");
        BackendState a = cluster.members().get(0);

        for (int i = 0; i < 2; i++) {
            fail(cluster, a);
        }
        assertTrue(a.available(), "two failures are not three");
        fail(cluster, a);
        assertFalse(a.available());
        assertTrue(a.health().isEjected());
        for (int i = 0; i < 10; i++) {
            assertEquals("b", id(cluster.choose("k").orElseThrow()), "an ejected backend gets no requests");
        }

        advance(Duration.ofSeconds(5));
        assertTrue(a.available(), "back after the first ejection's 5 s");
    }

    @Test
    void aBackendThatComesBack_takesItsSlowStartShareOfItsWeight() {
        Cluster cluster = cluster(RULES, "a", "b");
        BackendState a = cluster.members().get(0);
        a.setWeight(4);
        for (int i = 0; i < 3; i++) {
            fail(cluster, a);
        }
        advance(Duration.ofSeconds(5));
        assertTrue(a.available());

        assertEquals(0.4, a.weight(), 1e-9, "a tenth of its weight of 4, at once");
        advance(Duration.ofSeconds(5));
        assertEquals(2.0, a.weight(), 1e-9, "half way through the 10 s");
        assertEquals(1.0, cluster.members().get(1).weight(), 1e-9, "b never left");
    }

    @Test
    void aBackendFailingItsProbes_getsNoRequests() {
        ProbeRules probe = new ProbeRules("/health", Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 3);
        Cluster cluster = cluster(RULES, "a", "b");
        BackendState a = cluster.members().get(0);
        for (int i = 0; i < 3; i++) {
            a.health().probed(false, probe);
        }

        assertFalse(a.available());
        for (int i = 0; i < 6; i++) {
            assertEquals("b", id(cluster.choose("k").orElseThrow()));
        }
    }

    @Test
    void whenEveryBackendIsOut_noneIsChosen_unlessPanicModeTriesThemAll() {
        Cluster calm = cluster(RULES, "a", "b");
        Cluster panicking = cluster(new HealthRules(3, Duration.ofSeconds(5), Duration.ofSeconds(40),
                Duration.ZERO, true), "a", "b");
        for (Cluster cluster : List.of(calm, panicking)) {
            for (BackendState member : cluster.members()) {
                for (int i = 0; i < 3; i++) {
                    fail(cluster, member);
                }
            }
        }

        assertEquals(Optional.empty(), calm.choose("k"));
        assertTrue(panicking.choose("k").isPresent());
    }

    @Test
    void drainingAndDisabledBackends_getNoNewRequests_andPanicDoesNotBringThemBack() {
        Cluster cluster = cluster(new HealthRules(3, Duration.ofSeconds(5), Duration.ofSeconds(40),
                Duration.ZERO, true), "a", "b", "c");
        cluster.members().get(0).setAdminState(AdminState.DRAINING);
        cluster.members().get(1).setAdminState(AdminState.DISABLED);

        for (int i = 0; i < 6; i++) {
            assertEquals("c", id(cluster.choose("k").orElseThrow()));
        }
        cluster.members().get(2).setAdminState(AdminState.DRAINING);
        assertEquals(Optional.empty(), cluster.choose("k"));
    }

    @Test
    void retries_spendABudget_thatRequestsRefill() {
        RetryBudget budget = new RetryBudget(0.25, 2);
        assertTrue(budget.spend());
        assertTrue(budget.spend());
        assertFalse(budget.spend(), "the two saved are spent");
        for (int i = 0; i < 4; i++) {
            budget.earn();
        }
        assertTrue(budget.spend(), "four requests earned one retry");
        assertFalse(budget.spend());
    }

    @Test
    void aClusterOutOfBudget_offersNoRetry() {
        Cluster cluster = cluster(ClusterConfig.of("app", backends("a", "b"), LoadBalancing.ROUND_ROBIN, RULES),
                new RetryBudget(0, 1));
        BackendChoice first = cluster.choose("k").orElseThrow();
        first.ended(ForwardOutcome.CONNECT_REFUSED);
        assertTrue(first.retry(ForwardOutcome.CONNECT_REFUSED).isPresent(), "the one saved retry");

        BackendChoice again = cluster.choose("k").orElseThrow();
        again.ended(ForwardOutcome.CONNECT_REFUSED);
        assertEquals(Optional.empty(), again.retry(ForwardOutcome.CONNECT_REFUSED));
    }

    /** One failed attempt at {@code member}, chosen directly from the cluster until the policy picks it. */
    private static void fail(Cluster cluster, BackendState member) {
        for (int i = 0; i < 10; i++) {
            BackendChoice choice = cluster.choose("k").orElseThrow();
            if (choice.backend().equals(member.backend())) {
                choice.ended(ForwardOutcome.CONNECT_REFUSED);
                return;
            }
            choice.ended(ForwardOutcome.COMPLETED);
        }
        throw new AssertionError(member + " was never chosen");
    }

    /** A request from 10.0.0.1 with the given cookies (name, value, name, value...) and no headers. */
    private static RequestKeys withCookies(String... cookies) {
        return new RequestKeys() {
            @Override
            public String clientAddress() {
                return "10.0.0.1";
            }

            @Override
            public String header(String name) {
                return name.equals("X-User") ? "user-7" : null;
            }

            @Override
            public String cookie(String name) {
                for (int i = 0; i < cookies.length; i += 2) {
                    if (cookies[i].equals(name)) {
                        return cookies[i + 1];
                    }
                }
                return null;
            }
        };
    }

    private Cluster affine(Affinity affinity, String... ids) {
        return cluster(new ClusterConfig("app", backends(ids).stream().map(BackendConfig::of).toList(),
                LoadBalancing.ROUND_ROBIN, HashKey.CLIENT_ADDRESS, ClusterConfig.DEFAULT_IDLE_TIMEOUT, affinity, RULES,
                2, 0.2, Optional.empty()), new RetryBudget(0.2, 10));
    }

    @Test
    void cookieAffinity_bindsTheFirstAnswer_andSendsLaterRequestsToTheSameBackend() {
        Cluster cluster = affine(new Affinity(Affinity.Mode.COOKIE, "STICKY", Affinity.WhenDown.FAILOVER),
                "node-alpha", "node-beta", "node-gamma");

        BackendChoice first = cluster.choose(withCookies()).orElseThrow();
        String setCookie = first.affinityCookie().orElseThrow();
        assertTrue(setCookie.startsWith("STICKY=") && setCookie.endsWith("; Path=/; HttpOnly; SameSite=Lax"), setCookie);
        String token = setCookie.substring("STICKY=".length(), setCookie.indexOf(';'));
        assertFalse(setCookie.contains(id(first)), "the cookie does not name the backend");

        for (int i = 0; i < 9; i++) {
            BackendChoice again = cluster.choose(withCookies("STICKY", token)).orElseThrow();
            assertEquals(id(first), id(again), "round robin alone would have moved on");
            assertEquals(Optional.empty(), again.affinityCookie(), "already bound");
        }
        assertTrue(cluster.choose(withCookies("STICKY", "0000000000000000")).orElseThrow().affinityCookie()
                .isPresent(), "an unknown token binds anew");
    }

    @Test
    void jvmRouteAffinity_followsTomcatsSessionIdSuffix() {
        Cluster cluster = affine(new Affinity(Affinity.Mode.JVM_ROUTE, "unused", Affinity.WhenDown.FAILOVER),
                "app-5000", "app-5002");

        for (int i = 0; i < 6; i++) {
            BackendChoice choice = cluster.choose(withCookies("JSESSIONID", "A1B2C3.app-5002")).orElseThrow();
            assertEquals("app-5002", id(choice));
            assertEquals(Optional.empty(), choice.affinityCookie(), "Tomcat's own cookie does the binding");
        }
        cluster.members().get(0).setRoute("node1");
        assertEquals("app-5000", id(cluster.choose(withCookies("JSESSIONID", "X.node1")).orElseThrow()));
    }

    @Test
    void whenTheBoundBackendCannotTakeTheRequest_itFailsOver_orIsRefused() {
        Affinity failover = new Affinity(Affinity.Mode.JVM_ROUTE, "unused", Affinity.WhenDown.FAILOVER);
        Affinity refuse = new Affinity(Affinity.Mode.JVM_ROUTE, "unused", Affinity.WhenDown.REFUSE);
        for (AdminState state : new AdminState[] {AdminState.DRAINING, AdminState.DISABLED}) {
            Cluster moving = affine(failover, "a", "b");
            Cluster staying = affine(refuse, "a", "b");
            moving.members().get(0).setAdminState(state);
            staying.members().get(0).setAdminState(state);

            assertEquals("b", id(moving.choose(withCookies("JSESSIONID", "S.a")).orElseThrow()), state.name());
            assertEquals(Optional.empty(), staying.choose(withCookies("JSESSIONID", "S.a")), state.name());
        }
    }

    @Test
    void aHashKey_isTheConfiguredHeaderOrCookie_elseTheClientAddress() {
        RequestKeys request = withCookies("sid", "s-42");
        assertEquals("user-7", request.keyBy(new HashKey(HashKey.Source.HEADER, "X-User")));
        assertEquals("s-42", request.keyBy(new HashKey(HashKey.Source.COOKIE, "sid")));
        assertEquals("10.0.0.1", request.keyBy(new HashKey(HashKey.Source.COOKIE, "absent")));
        assertEquals("10.0.0.1", request.keyBy(HashKey.CLIENT_ADDRESS));
    }

}
