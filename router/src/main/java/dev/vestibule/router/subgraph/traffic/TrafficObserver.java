package dev.vestibule.router.subgraph.traffic;

import java.time.Duration;

/**
 * What the traffic mechanisms do, as it happens, for metrics and logs (given through
 * {@code GatewayObserver.traffic()}): retries and the budget refusing them, circuit breaker transitions and the calls
 * an open breaker refused, calls the bulkhead refused, instances ejected from a pool and taken back. Told from the
 * thread of the call concerned; an implementation must be quick and must not throw. Instances are named by their
 * place in the configured list, never by their URL.
 */
public interface TrafficObserver {
    /** Observes nothing. */
    TrafficObserver NONE = new TrafficObserver() {};

    /** A call is sent again: {@code attempt} is the number of the call about to go (2 for the first retry). */
    default void retried(String subgraph, int attempt, String reason) {}

    /** A retry was due but the subgraph's retry budget had nothing left: the failure goes to the client. */
    default void retryBudgetExhausted(String subgraph) {}

    /** The subgraph's circuit breaker went from {@code from} to {@code to}. */
    default void circuitChanged(String subgraph, CircuitBreaker.State from, CircuitBreaker.State to) {}

    /** An open (or probing) circuit breaker refused a call: it was not sent. */
    default void circuitRejected(String subgraph) {}

    /** The bulkhead refused a call: the subgraph had its most calls in flight. */
    default void bulkheadRejected(String subgraph) {}

    /** Instance {@code instance} of the subgraph's pool was ejected for {@code ejection}. */
    default void instanceEjected(String subgraph, int instance, Duration ejection) {}

    /** Instance {@code instance} answered its probe and is back in the pool. */
    default void instanceRestored(String subgraph, int instance) {}

    /** The active health checks took instance {@code instance} out of the pool. */
    default void instanceUnhealthy(String subgraph, int instance) {}

    /** The active health checks put instance {@code instance} back into the pool. */
    default void instanceHealthy(String subgraph, int instance) {}

    /** A call of a caller in the canary's share went to the subgraph's canary pool. */
    default void canaryCall(String subgraph) {}

    /**
     * A shadow copy of a query call was answered and compared with the primary's answer: {@code outcome} is
     * {@code same}, {@code different}, or {@code failed} (the candidate gave no usable answer).
     */
    default void shadowCompared(String subgraph, String outcome) {}

    /** A shadow copy was not sent: as many as the shadow's bound were in flight. */
    default void shadowSkipped(String subgraph) {}
}
