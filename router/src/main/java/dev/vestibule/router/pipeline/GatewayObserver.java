package dev.vestibule.router.pipeline;

import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.subgraph.traffic.TrafficObserver;

/**
 * Watches the requests a {@code Gateway} runs, stage by stage (the shape of graphql-java's Instrumentation): telemetry,
 * metrics and tests implement it; it is given to the gateway when it is built. An observer only watches: it never
 * changes a request, a plan, a subgraph call or an answer (response reuse and shared calls rely on that: see
 * {@code WrittenAnswers} and {@code SharedCalls}). With {@link #NONE}, observing costs no allocation.
 */
public interface GatewayObserver {
    /** Observes nothing. */
    GatewayObserver NONE = new GatewayObserver() {};

    /**
     * A request begins (after the edge admitted it). What this returns is told the request's stages and its end;
     * return {@link RequestStage#NONE} to watch nothing of it.
     */
    default RequestStage beginRequest(GraphQLRequest request, RequestContext context) {
        return RequestStage.NONE;
    }

    /**
     * What watches the per-subgraph traffic mechanisms (retries and their budget, circuit breakers, bulkheads, pool
     * ejections); asked once when the gateway is built. {@link TrafficObserver#NONE} watches nothing.
     */
    default TrafficObserver traffic() {
        return TrafficObserver.NONE;
    }
}
