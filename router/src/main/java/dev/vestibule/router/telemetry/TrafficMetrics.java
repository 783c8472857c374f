package dev.vestibule.router.telemetry;

import dev.vestibule.router.subgraph.traffic.CircuitBreaker;
import dev.vestibule.router.subgraph.traffic.SubgraphTraffic;
import dev.vestibule.router.subgraph.traffic.TrafficObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The traffic mechanisms' metrics (docs/resilience.md): counters told by the engine through {@link TrafficObserver}
 * (retries, budget refusals, breaker transitions and refusals, bulkhead refusals, ejections, health check changes,
 * canary calls, shadow comparisons), and gauges read at each scrape from the serving router's
 * {@link SubgraphTraffic#state()} (breaker state, instances in and out). Kept apart from {@link RouterMetrics}'s
 * request path: nothing here runs unless a traffic mechanism acts.
 */
final class TrafficMetrics implements TrafficObserver {
    private final Counter retries;
    private final Counter retriesRefused;
    private final Counter circuitTransitions;
    private final Counter circuitRejections;
    private final Counter bulkheadRejections;
    private final Counter ejections;
    private final Counter healthChanges;
    private final Counter canaryCalls;
    private final Counter shadowComparisons;
    private final Counter shadowSkipped;

    TrafficMetrics(PrometheusRegistry registry) {
        retries = counter(registry, "vestibule.subgraph.retries", "Subgraph calls sent again, by subgraph and reason", "subgraph.name", "reason");
        retriesRefused = counter(registry, "vestibule.subgraph.retries.refused",
                "Retries not made because the subgraph's retry budget was spent", "subgraph.name");
        circuitTransitions = counter(registry, "vestibule.subgraph.circuit.transitions",
                "Circuit breaker state changes, by subgraph and new state", "subgraph.name", "state");
        circuitRejections = counter(registry, "vestibule.subgraph.circuit.rejections",
                "Subgraph calls refused by an open circuit breaker", "subgraph.name");
        bulkheadRejections = counter(registry, "vestibule.subgraph.bulkhead.rejections",
                "Subgraph calls refused because the subgraph had its most calls in flight", "subgraph.name");
        ejections = counter(registry, "vestibule.subgraph.pool.ejections",
                "Pool instances ejected by outlier detection, by subgraph", "subgraph.name");
        healthChanges = counter(registry, "vestibule.subgraph.pool.health_changes",
                "Pool instances taken out (unhealthy) or put back (healthy) by the active health checks", "subgraph.name", "state");
        canaryCalls = counter(registry, "vestibule.subgraph.canary.calls", "Subgraph calls sent to the subgraph's canary", "subgraph.name");
        shadowComparisons = counter(registry, "vestibule.subgraph.shadow.comparisons",
                "Shadow copies compared with the primary's answer, by outcome (same, different, failed)", "subgraph.name", "outcome");
        shadowSkipped = counter(registry, "vestibule.subgraph.shadow.skipped",
                "Shadow copies not sent because the shadow's bound on copies in flight was reached", "subgraph.name");
    }

    /** The gauges, read at each scrape from the router serving then (a reload swaps it). */
    static void stateGauges(PrometheusRegistry registry, Supplier<SubgraphTraffic> traffic) {
        GaugeWithCallback.builder().name("vestibule.subgraph.circuit.state")
                .help("Circuit breaker state by subgraph: 0 closed, 1 half-open, 2 open").labelNames("subgraph.name")
                .callback(callback -> traffic.get().state().forEach((subgraph, state) -> {
                    if (state.circuit() != null) callback.call(code(state.circuit()), subgraph);
                })).register(registry);
        GaugeWithCallback.builder().name("vestibule.subgraph.pool.instances")
                .help("Pool instances by subgraph, pool (primary, canary) and state (in; ejected or unhealthy: out)")
                .labelNames("subgraph.name", "pool", "state")
                .callback(callback -> traffic.get().state().forEach((subgraph, state) -> {
                    if (!state.instances().isEmpty()) {
                        long in = state.instances().stream().filter(SubgraphTraffic.InstanceState::in).count();
                        callback.call(in, subgraph, "primary", "in");
                        callback.call(state.instances().size() - in, subgraph, "primary", "out");
                    }
                    if (!state.canaryInstances().isEmpty()) {
                        long in = state.canaryInstances().stream().filter(SubgraphTraffic.InstanceState::in).count();
                        callback.call(in, subgraph, "canary", "in");
                        callback.call(state.canaryInstances().size() - in, subgraph, "canary", "out");
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("vestibule.subgraph.canary.weight")
                .help("The share of callers (percent) whose calls go to the subgraph's canary").labelNames("subgraph.name")
                .callback(callback -> traffic.get().state().forEach((subgraph, state) -> {
                    if (!state.canaryInstances().isEmpty()) callback.call(state.canaryWeightPercent(), subgraph);
                })).register(registry);
    }

    private static double code(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    private static Counter counter(PrometheusRegistry registry, String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
    }

    @Override
    public void retried(String subgraph, int attempt, String reason) {
        retries.labelValues(subgraph, reason.startsWith("HTTP") ? "status" : reason.replace(' ', '_')).inc();
    }

    @Override
    public void retryBudgetExhausted(String subgraph) {
        retriesRefused.labelValues(subgraph).inc();
    }

    @Override
    public void circuitChanged(String subgraph, CircuitBreaker.State from, CircuitBreaker.State to) {
        circuitTransitions.labelValues(subgraph, to.name().toLowerCase()).inc();
    }

    @Override
    public void circuitRejected(String subgraph) {
        circuitRejections.labelValues(subgraph).inc();
    }

    @Override
    public void bulkheadRejected(String subgraph) {
        bulkheadRejections.labelValues(subgraph).inc();
    }

    @Override
    public void instanceEjected(String subgraph, int instance, Duration ejection) {
        ejections.labelValues(subgraph).inc();
    }

    @Override
    public void instanceUnhealthy(String subgraph, int instance) {
        healthChanges.labelValues(subgraph, "unhealthy").inc();
    }

    @Override
    public void instanceHealthy(String subgraph, int instance) {
        healthChanges.labelValues(subgraph, "healthy").inc();
    }

    @Override
    public void canaryCall(String subgraph) {
        canaryCalls.labelValues(subgraph).inc();
    }

    @Override
    public void shadowCompared(String subgraph, String outcome) {
        shadowComparisons.labelValues(subgraph, outcome).inc();
    }

    @Override
    public void shadowSkipped(String subgraph) {
        shadowSkipped.labelValues(subgraph).inc();
    }
}
