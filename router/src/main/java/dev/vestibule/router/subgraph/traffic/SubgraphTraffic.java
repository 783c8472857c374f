package dev.vestibule.router.subgraph.traffic;

import dev.vestibule.router.subgraph.SubgraphProtection;
import dev.vestibule.router.subgraph.SubgraphTransport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The traffic mechanisms of one router, built from its {@link TrafficShaping} for the supergraph's subgraphs, and
 * their state for readiness and tests. {@link #around} stacks them on the transport, outermost first:
 * retries (with their budget), circuit breakers, instance pools. The bulkheads are the protection's
 * ({@link #bulkheads}, applied by {@code ProtectedTransport} above the retries: one slot per call, its retries
 * included). All of it sits below the shared calls, so it acts once for every request that joined a call.
 */
public final class SubgraphTraffic {
    private final Map<String, RetryingTransport.Retries> retries = new LinkedHashMap<>();
    private final Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
    private final Map<String, InstancePool> pools = new LinkedHashMap<>();
    /** The canaries' pools, by subgraph; and by the URL calls to them carry (their first instance's). */
    private final Map<String, InstancePool> canaries = new LinkedHashMap<>();
    private final Map<String, InstancePool> canariesByUrl = new LinkedHashMap<>();
    private final Map<String, Double> canaryWeights = new LinkedHashMap<>();
    private final Map<String, TrafficPolicy.Shadow> shadows = new LinkedHashMap<>();
    private final Map<String, SubgraphProtection.Bulkhead> bulkheads = new LinkedHashMap<>();
    private final TrafficObserver observer;

    /** @param subgraphs the supergraph's subgraph names (a policy of a subgraph it does not have is not built) */
    public SubgraphTraffic(TrafficShaping shaping, Collection<String> subgraphs, TrafficObserver observer) {
        this.observer = observer;
        for (String subgraph : subgraphs) {
            TrafficPolicy policy = shaping.forSubgraph(subgraph);
            if (policy.retry().enabled()) retries.put(subgraph, new RetryingTransport.Retries(policy.retry()));
            if (policy.breaker().enabled()) breakers.put(subgraph, new CircuitBreaker(subgraph, policy.breaker(), observer));
            if (!policy.urls().isEmpty()) {
                pools.put(subgraph, new InstancePool(subgraph, policy.urls(), policy.balance(), policy.outlier(), policy.health(),
                        observer));
            }
            if (policy.canary().enabled()) {
                InstancePool canary = new InstancePool(subgraph + " (canary)", policy.canary().urls(), policy.balance(),
                        policy.outlier(), policy.health(), observer);
                canaries.put(subgraph, canary);
                canariesByUrl.put(policy.canary().urls().getFirst(), canary);
                canaryWeights.put(subgraph, policy.canary().weightPercent());
            }
            if (policy.shadow().enabled()) shadows.put(subgraph, policy.shadow());
            if (policy.maxInFlight() > 0) bulkheads.put(subgraph, new SubgraphProtection.Bulkhead(policy.maxInFlight(), policy.maxWait()));
        }
    }

    /**
     * {@code transport} with the shadows, retries, breakers and pools configured (and the pools' health checks
     * started: they stop when the returned transport closes); itself when there are none.
     */
    public SubgraphTransport around(SubgraphTransport transport) {
        SubgraphTransport stacked = transport;
        if (!pools.isEmpty() || !canaries.isEmpty()) {
            List<InstancePool> all = new ArrayList<>(pools.values());
            all.addAll(canaries.values());
            stacked = new PooledTransport(stacked, pools, canariesByUrl, new HealthChecks(transport, all), observer);
        }
        if (!breakers.isEmpty()) stacked = new BreakingTransport(stacked, breakers, canariesByUrl.keySet(), observer);
        if (!retries.isEmpty()) stacked = new RetryingTransport(stacked, retries, observer);
        if (!shadows.isEmpty()) stacked = new ShadowTransport(stacked, transport, shadows, observer);
        return stacked;
    }

    /**
     * The URL a fetch of {@code subgraph} goes to for {@code cohort}: the canary's when the subgraph has one and the
     * caller is in its share (or asked for it), else {@code primary} (the supergraph's; its pool, if any, takes it
     * from there). Different URLs keep the canary's calls apart from the primary's in the shared calls.
     */
    public String url(String subgraph, String primary, Cohort cohort) {
        InstancePool canary = canaries.get(subgraph);
        if (canary == null || !inCanary(subgraph, cohort)) return primary;
        return canary.instances().getFirst().url;
    }

    public boolean hasCanaries() {
        return !canaries.isEmpty();
    }

    /** The subgraphs whose canary {@code cohort}'s calls go to. */
    public Set<String> canariesOf(Cohort cohort) {
        Set<String> in = new TreeSet<>();
        for (String subgraph : canaries.keySet()) if (inCanary(subgraph, cohort)) in.add(subgraph);
        return in;
    }

    /** Whether {@code cohort}'s calls to {@code subgraph} go to its canary (false without one). */
    public boolean inCanary(String subgraph, Cohort cohort) {
        Double weight = canaryWeights.get(subgraph);
        if (weight == null) return false;
        return switch (cohort.variant()) {
            case CANARY -> true;
            case PRIMARY -> false;
            case ANY -> cohort.place("canary:" + subgraph) < weight;
        };
    }

    /** The bounds on calls in flight, by subgraph (for the protection). */
    public Map<String, SubgraphProtection.Bulkhead> bulkheads() {
        return Map.copyOf(bulkheads);
    }

    /** Whether any subgraph instance is reached over https (the transport needs TLS then). */
    public boolean anyHttps() {
        return Stream.concat(pools.values().stream(), canaries.values().stream()).flatMap(p -> p.instances().stream())
                .anyMatch(i -> i.url.regionMatches(true, 0, "https:", 0, 6));
    }

    /**
     * One subgraph's state: its breaker's (null without one), retries made and refused by the budget, and its pool's
     * instances (empty without a pool).
     */
    public record State(CircuitBreaker.State circuit, long circuitRejected, long retries, long retriesRefused,
                        List<InstanceState> instances, long ejections, List<InstanceState> canaryInstances,
                        double canaryWeightPercent) {}

    /**
     * An instance of a pool, by its place in the configured list: whether it is in (neither ejected nor failing its
     * health checks), whether its health checks fail, and its calls in flight.
     */
    public record InstanceState(int instance, boolean in, boolean unhealthy, int outstanding) {}

    /** The state of every subgraph that has a breaker, retries or a pool. */
    public Map<String, State> state() {
        Map<String, State> out = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        names.addAll(breakers.keySet());
        names.addAll(retries.keySet());
        names.addAll(pools.keySet());
        names.addAll(canaries.keySet());
        for (String name : names) {
            CircuitBreaker breaker = breakers.get(name);
            RetryingTransport.Retries retry = retries.get(name);
            InstancePool pool = pools.get(name);
            InstancePool canary = canaries.get(name);
            out.put(name, new State(breaker == null ? null : breaker.state(), breaker == null ? 0 : breaker.rejected(),
                    retry == null ? 0 : retry.budget().granted(), retry == null ? 0 : retry.budget().refused(),
                    instances(pool), (pool == null ? 0 : pool.ejections()) + (canary == null ? 0 : canary.ejections()),
                    instances(canary), canaryWeights.getOrDefault(name, 0.0)));
        }
        return out;
    }

    private static List<InstanceState> instances(InstancePool pool) {
        if (pool == null) return List.of();
        return pool.instances().stream()
                .map(i -> new InstanceState(i.number, !i.out && !i.unhealthy, i.unhealthy, i.outstanding.get())).toList();
    }
}
