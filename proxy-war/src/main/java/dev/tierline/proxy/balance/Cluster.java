package dev.tierline.proxy.balance;

import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.config.ClusterConfig;
import dev.tierline.proxy.config.HashKey;
import dev.tierline.proxy.config.ProbeRules;
import dev.tierline.proxy.forward.BackendChoice;
import dev.tierline.proxy.forward.ForwardOutcome;
import dev.tierline.proxy.health.BackendHealth;
import dev.tierline.proxy.health.Panic;
import dev.tierline.proxy.health.ProbeTarget;
import dev.tierline.proxy.metrics.BackendStats;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A named group of interchangeable backends at runtime: the policy that spreads requests over the ones health
 * lets through, session affinity, and how many times, within what budget, a request may go to another of them
 * after a failure.
 */
public final class Cluster {

    private final String id;
    private final List<BackendState> members;
    private final LoadBalancingPolicy policy;
    private final String policyName;
    private final boolean panic;
    private final int maxAttempts;
    private final RetryBudget budget;
    private final Optional<ProbeRules> probe;
    private final SessionAffinity affinity;
    private final HashKey hashKey;
    private final LongAdder retries = new LongAdder();
    private final LongSupplier nanoTime;

    /**
     * @param config the cluster's configuration; its backends are {@code members}, which may carry state from
     *     an earlier configuration
     * @param budget the retries the cluster may spend
     * @param nanoTime the clock attempts are timed on, {@link System#nanoTime()} but in tests
     */
    public Cluster(ClusterConfig config, List<BackendState> members, LoadBalancingPolicy policy, RetryBudget budget,
            LongSupplier nanoTime) {
        this.id = config.id();
        this.members = List.copyOf(members);
        this.policy = policy;
        this.policyName = config.loadBalancing().token();
        this.panic = config.health().panic();
        this.maxAttempts = config.maxAttempts();
        this.budget = budget;
        this.probe = config.probe();
        this.affinity = new SessionAffinity(config.id(), config.affinity());
        this.hashKey = config.hashKey();
        this.nanoTime = nanoTime;
    }

    /** The cluster {@code config} describes, its members new, on the clock {@code nanoTime}. */
    public static Cluster of(ClusterConfig config, LongSupplier nanoTime) {
        List<BackendState> members = config.backends().stream().map(member -> new BackendState(member.backend(),
                member.weight(), new BackendHealth(member.backend(), config.health(), nanoTime),
                new BackendStats(System::currentTimeMillis))).toList();
        return new Cluster(config, members, Policies.create(config.loadBalancing(), Policies.threadSafeRandom()),
                new RetryBudget(config.retryBudget(), ClusterConfig.SAVED_RETRIES), nanoTime);
    }

    public String id() {
        return id;
    }

    public List<BackendState> members() {
        return members;
    }

    /** Requests sent to another member after a failed attempt, since this cluster was built. */
    public long retries() {
        return retries.sum();
    }

    /** The cluster's policy, by its name in configuration. */
    public String policy() {
        return policyName;
    }

    /** The members health probes, with the cluster's probe rules; none when the cluster has no probe. */
    public List<ProbeTarget> probeTargets() {
        if (probe.isEmpty()) {
            return List.of();
        }
        return members.stream().map(member -> new ProbeTarget(member.backend(), probe.get(), member.health())).toList();
    }

    /** The backend for a new request from {@code clientAddress}, with no header or cookie to go by. */
    public Optional<BackendChoice> choose(String clientAddress) {
        return choose(RequestKeys.ofClient(clientAddress));
    }

    /**
     * The backend for a new request, or empty when the cluster has none to offer: the one the request is
     * bound to when it may take it, else the policy's pick.
     */
    public Optional<BackendChoice> choose(RequestKeys request) {
        budget.earn();
        String key = request.keyBy(hashKey);
        Optional<BackendState> bound = affinity.boundMember(request, members);
        if (bound.isPresent()) {
            BackendState member = bound.get();
            if (member.available()) {
                member.started();
                return Optional.of(new Choice(member, key, Set.of(member), false));
            }
            if (!affinity.failsOver()) {
                return Optional.empty();
            }
        }
        return pick(key, Set.of()).map(member -> new Choice(member, key, Set.of(member), true));
    }

    /** A policy's pick among the members health lets through and the request was not sent to yet. */
    private Optional<BackendState> pick(String hashKey, Set<BackendState> tried) {
        List<BackendState> candidates = Panic.candidates(members, tried, panic);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        BackendState chosen = policy.pick(candidates, hashKey);
        chosen.started();
        return Optional.of(chosen);
    }

    /** One attempt's member; it counts the attempt as in flight until told how it ended. */
    private final class Choice implements BackendChoice {

        private final BackendState member;
        private final String hashKey;
        private final Set<BackendState> tried;
        /** Whether the answer should bind the client to this member (it was not bound to it already). */
        private final boolean bind;
        private final long started = nanoTime.getAsLong();

        Choice(BackendState member, String hashKey, Set<BackendState> tried, boolean bind) {
            this.member = member;
            this.hashKey = hashKey;
            this.tried = tried;
            this.bind = bind;
        }

        @Override
        public Optional<String> affinityCookie() {
            return bind ? affinity.cookieFor(member) : Optional.empty();
        }

        @Override
        public Backend backend() {
            return member.backend();
        }

        @Override
        public void ended(ForwardOutcome outcome) {
            member.finished();
            member.health().record(outcome);
            member.stats().record(outcome, nanoTime.getAsLong() - started);
        }

        @Override
        public Runnable switchedProtocols() {
            member.health().record(ForwardOutcome.COMPLETED);
            member.stats().record(ForwardOutcome.COMPLETED, nanoTime.getAsLong() - started);
            return member::finished;
        }

        @Override
        public Optional<BackendChoice> retry(ForwardOutcome failure) {
            if (tried.size() >= maxAttempts || !budget.spend()) {
                return Optional.empty();
            }
            Set<BackendState> triedNow = new HashSet<>(tried);
            Optional<BackendState> next = pick(hashKey, tried);
            next.ifPresent(member -> retries.increment());
            next.ifPresent(triedNow::add);
            return next.map(member -> new Choice(member, hashKey, Set.copyOf(triedNow), true));
        }
    }
}
