package dev.tierline.proxy.balance;

import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.forward.BackendChoice;
import dev.tierline.proxy.forward.ForwardOutcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A named group of interchangeable backends, the policy that spreads requests over them, their health, and
 * how many times, within what budget, a request may go to another of them after a failure.
 */
public final class Cluster {

    private final String id;
    private final List<BackendState> members;
    private final LoadBalancingPolicy policy;
    private final HealthRules health;
    private final int maxAttempts;
    private final RetryBudget budget;
    private final Optional<ProbeRules> probe;
    private final Affinity affinity;
    private final HashKey hashKey;

    /**
     * @param maxAttempts how many backends one request may be tried on, the first included
     * @param probe the active health check, if any
     * @param affinity how requests are bound to a backend, if at all
     * @param hashKey what hashing policies key requests by
     */
    public Cluster(String id, List<BackendState> members, LoadBalancingPolicy policy, HealthRules health,
            int maxAttempts, RetryBudget budget, Optional<ProbeRules> probe, Affinity affinity, HashKey hashKey) {
        this.id = id;
        this.probe = probe;
        this.affinity = affinity;
        this.hashKey = hashKey;
        this.members = List.copyOf(members);
        this.policy = policy;
        this.health = health;
        this.maxAttempts = maxAttempts;
        this.budget = budget;
    }

    /** Equal weights, default health rules, two attempts and a 20% retry budget, on the system clock. */
    public static Cluster of(String id, List<Backend> backends, LoadBalancingPolicy policy) {
        return of(id, backends, policy, HealthRules.DEFAULT, System::nanoTime);
    }

    public static Cluster of(String id, List<Backend> backends, LoadBalancingPolicy policy, HealthRules health,
            LongSupplier nanoTime) {
        List<BackendState> members = backends.stream()
                .map(backend -> new BackendState(backend, 1, health, nanoTime)).toList();
        return new Cluster(id, members, policy, health, 2, new RetryBudget(0.2, 10), Optional.empty(), Affinity.NONE,
                HashKey.CLIENT_ADDRESS);
    }

    public String id() {
        return id;
    }

    public List<BackendState> members() {
        return members;
    }

    public Optional<ProbeRules> probe() {
        return probe;
    }

    /** The backend for a new request from {@code clientAddress}, with no header or cookie to go by. */
    public Optional<BackendChoice> choose(String clientAddress) {
        return choose(new RequestKeys() {
            @Override
            public String clientAddress() {
                return clientAddress;
            }

            @Override
            public String header(String name) {
                return null;
            }

            @Override
            public String cookie(String name) {
                return null;
            }
        });
    }

    /**
     * The backend for a new request, or empty when the cluster has none to offer: the one the request is
     * bound to when it may take it, else the policy's pick.
     */
    public Optional<BackendChoice> choose(RequestKeys request) {
        budget.earn();
        String key = hashKey.of(request);
        Optional<BackendState> bound = affinity.boundMember(request, id, members);
        if (bound.isPresent()) {
            BackendState member = bound.get();
            if (member.available()) {
                member.started();
                return Optional.of(new Choice(member, key, Set.of(member), false));
            }
            if (affinity.whenDown() == Affinity.WhenDown.REFUSE) {
                return Optional.empty();
            }
        }
        return pick(key, Set.of()).map(member -> new Choice(member, key, Set.of(member), true));
    }

    /**
     * A policy's pick among the members that may take a request and were not tried yet; in panic mode, when
     * every member is out, among every enabled one.
     */
    private Optional<BackendState> pick(String hashKey, Set<BackendState> tried) {
        List<BackendState> candidates = candidates(member -> member.available() && !tried.contains(member));
        if (candidates.isEmpty() && health.panic() && members.stream().noneMatch(BackendState::available)) {
            candidates = candidates(member -> member.adminState() == AdminState.ENABLED && !tried.contains(member));
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        BackendState chosen = policy.pick(candidates, hashKey);
        chosen.started();
        return Optional.of(chosen);
    }

    private List<BackendState> candidates(Predicate<BackendState> admitted) {
        List<BackendState> candidates = new ArrayList<>(members.size());
        for (BackendState member : members) {
            if (admitted.test(member)) {
                candidates.add(member);
            }
        }
        return candidates;
    }

    /** One attempt's member; it counts the attempt as in flight until told how it ended. */
    private final class Choice implements BackendChoice {

        private final BackendState member;
        private final String hashKey;
        private final Set<BackendState> tried;
        /** Whether the answer should bind the client to this member (it was not bound to it already). */
        private final boolean bind;

        Choice(BackendState member, String hashKey, Set<BackendState> tried, boolean bind) {
            this.member = member;
            this.hashKey = hashKey;
            this.tried = tried;
            this.bind = bind;
        }

        @Override
        public Optional<String> affinityCookie() {
            return bind ? affinity.cookieFor(id, member) : Optional.empty();
        }

        @Override
        public Backend backend() {
            return member.backend();
        }

        @Override
        public void ended(ForwardOutcome outcome) {
            member.finished();
            switch (outcome) {
                case COMPLETED -> member.succeeded();
                case CONNECT_REFUSED, CONNECT_TIMEOUT, RESPONSE_TIMEOUT, BACKEND_RESET, MALFORMED_RESPONSE ->
                        member.failed();
                // Not the backend's doing: a full pool, a connection closed with the request still queued
                // (after a failure already counted), a client that left or sent too much.
                case POOL_EXHAUSTED, NOT_SENT, CLIENT_ABORTED, BODY_TOO_LARGE, FAILED_AFTER_COMMIT -> { }
            }
        }

        @Override
        public Optional<BackendChoice> retry(ForwardOutcome failure) {
            if (tried.size() >= maxAttempts || !budget.spend()) {
                return Optional.empty();
            }
            Set<BackendState> triedNow = new HashSet<>(tried);
            Optional<BackendState> next = pick(hashKey, tried);
            next.ifPresent(triedNow::add);
            return next.map(member -> new Choice(member, hashKey, Set.copyOf(triedNow), true));
        }
    }
}
