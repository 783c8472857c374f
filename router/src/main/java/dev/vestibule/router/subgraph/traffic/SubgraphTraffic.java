package dev.vestibule.router.subgraph.traffic;

import dev.vestibule.router.subgraph.SubgraphProtection;
import dev.vestibule.router.subgraph.SubgraphTransport;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
                pools.put(subgraph, new InstancePool(subgraph, policy.urls(), policy.balance(), policy.outlier(), observer));
            }
            if (policy.maxInFlight() > 0) bulkheads.put(subgraph, new SubgraphProtection.Bulkhead(policy.maxInFlight(), policy.maxWait()));
        }
    }

    /** {@code transport} with the retries, breakers and pools configured; itself when there are none. */
    public SubgraphTransport around(SubgraphTransport transport) {
        SubgraphTransport stacked = transport;
        if (!pools.isEmpty()) stacked = new PooledTransport(stacked, pools);
        if (!breakers.isEmpty()) stacked = new BreakingTransport(stacked, breakers, observer);
        if (!retries.isEmpty()) stacked = new RetryingTransport(stacked, retries, observer);
        return stacked;
    }

    /** The bounds on calls in flight, by subgraph (for the protection). */
    public Map<String, SubgraphProtection.Bulkhead> bulkheads() {
        return Map.copyOf(bulkheads);
    }

    /** Whether any subgraph instance is reached over https (the transport needs TLS then). */
    public boolean anyHttps() {
        return pools.values().stream().flatMap(p -> p.instances().stream())
                .anyMatch(i -> i.url.regionMatches(true, 0, "https:", 0, 6));
    }

    /**
     * One subgraph's state: its breaker's (null without one), retries made and refused by the budget, and its pool's
     * instances (empty without a pool).
     */
    public record State(CircuitBreaker.State circuit, long circuitRejected, long retries, long retriesRefused,
                        List<InstanceState> instances, long ejections) {}

    /** An instance of a pool, by its place in the configured list: whether it is in, and its calls in flight. */
    public record InstanceState(int instance, boolean in, int outstanding) {}

    /** The state of every subgraph that has a breaker, retries or a pool. */
    public Map<String, State> state() {
        Map<String, State> out = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        names.addAll(breakers.keySet());
        names.addAll(retries.keySet());
        names.addAll(pools.keySet());
        for (String name : names) {
            CircuitBreaker breaker = breakers.get(name);
            RetryingTransport.Retries retry = retries.get(name);
            InstancePool pool = pools.get(name);
            out.put(name, new State(breaker == null ? null : breaker.state(), breaker == null ? 0 : breaker.rejected(),
                    retry == null ? 0 : retry.budget().granted(), retry == null ? 0 : retry.budget().refused(),
                    pool == null ? List.of() : pool.instances().stream()
                            .map(i -> new InstanceState(i.number, !i.out, i.outstanding.get())).toList(),
                    pool == null ? 0 : pool.ejections()));
        }
        return out;
    }
}
