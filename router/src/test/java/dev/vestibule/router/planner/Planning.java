package dev.vestibule.router.planner;

import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.OperationPreparer;
import dev.vestibule.router.supergraph.Supergraph;
import java.util.Map;

/**
 * The planner alone, for tests: an operation prepared (parsed, validated) against a supergraph's API schema and planned
 * by a {@link QueryPlanner}, with no router, no HTTP client and no threads.
 */
final class Planning {
    private final OperationPreparer preparer;
    private final QueryPlanner planner;

    Planning(Supergraph supergraph) {
        this.preparer = new OperationPreparer(supergraph.apiSchema(), 100);
        this.planner = new QueryPlanner(supergraph);
    }

    /** The plan of {@code operation} (the only one in the document, or the first). */
    QueryPlan plan(String operation) {
        return planner.plan(preparer.prepare(new GraphQLRequest(operation, null, Map.of(), Map.of())));
    }
}
