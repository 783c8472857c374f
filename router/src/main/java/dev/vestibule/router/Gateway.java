package dev.vestibule.router;

import dev.vestibule.router.json.JsonBytes;
import dev.vestibule.router.operation.Caller;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.PreparedOperation;
import dev.vestibule.router.operation.RequestError;
import dev.vestibule.router.pipeline.RequestContext;
import dev.vestibule.router.planner.QueryPlan;
import dev.vestibule.router.subgraph.traffic.Cohort;
import dev.vestibule.router.subgraph.traffic.TrafficShaping;
import dev.vestibule.router.supergraph.Supergraph;
import graphql.language.OperationDefinition;

/**
 * The engine's one entry point: what the HTTP handler, the CLI, the tests and (next) the BFF modules call. One
 * supergraph's pipeline: prepare the operation (parse, validate, coerce), plan it (cached), run the plan against the
 * subgraphs, shape the answer. Thread-safe; one instance serves every request. {@link Router} is the implementation.
 */
public interface Gateway extends AutoCloseable {

    /**
     * Parses, validates and plans an operation (through the document and plan caches) without running it.
     *
     * @param caller whose access @authenticated, @requiresScopes and @policy decide: what they deny it is left out of
     *               the plan; null plans everything (tools such as the CLI's {@code plan})
     * @throws RequestError when the operation is malformed, invalid or cannot be planned
     */
    Prepared prepare(GraphQLRequest request, Caller caller);

    /**
     * The kind of operation a request runs (query, mutation, subscription), from its parsed and validated document
     * alone (through the document cache): no variables coerced, nothing planned. What a route decides by before it
     * runs the request (no mutation over GET; only queries are shared in flight).
     *
     * @throws RequestError when the request has no query, or the document is malformed or invalid
     */
    OperationDefinition.Operation operationKind(GraphQLRequest request);

    /**
     * Runs a request and returns its answer as JSON ({errors, data, extensions}), as it goes on the wire.
     *
     * @throws RequestError when the request is rejected before execution
     */
    JsonBytes execute(GraphQLRequest request, RequestContext context);

    Supergraph supergraph();

    /**
     * Where {@code cohort} lands in the traffic splits that can change an answer (the progressive override labels
     * active for it, the canaries it goes to), as a value two requests may share an answer by; null when the gateway
     * has no split.
     */
    default Object trafficSplit(Cohort cohort) {
        return null;
    }

    /**
     * How callers are placed in the traffic splits (their sticky header, variant and label headers or claims): the
     * gateway's, so that a reload of {@code traffic_shaping}, which swaps the gateway, changes them too.
     */
    default TrafficShaping.Callers callers() {
        return TrafficShaping.Callers.DEFAULTS;
    }

    @Override
    void close();

    /** A prepared operation and its plan. */
    record Prepared(PreparedOperation operation, QueryPlan plan) {}
}
