package dev.vestibule.router.planner;

import dev.vestibule.router.operation.AccessFilter;
import dev.vestibule.router.operation.Caller;
import dev.vestibule.router.operation.PreparedOperation;
import dev.vestibule.router.operation.Selection;
import dev.vestibule.router.supergraph.Supergraph;
import graphql.language.OperationDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import java.util.List;
import java.util.Map;

/**
 * Plans an operation into subgraph fetches, in stages, each in files named after it (as Hive Router's planner):
 * <ol>
 *   <li>normalize the operation ({@link OperationNormalizer}): fragments inlined, literal conditions applied, root
 *       fields that are one field to the client merged;</li>
 *   <li>walk it into the selections each subgraph is asked for along its paths ({@link OperationWalker}, asking
 *       {@link SubgraphCoverage} what each subgraph answers), which builds</li>
 *   <li>the fetch graph ({@link FetchGraph}): one {@link FetchGroup} per subgraph request, and what each waits for;</li>
 *   <li>optimize the graph in passes, one file per pass ({@link FetchGraphOptimizer});</li>
 *   <li>emit the plan ({@link PlanEmitter}): fetches that wait for nothing run in parallel, the rest in stages.</li>
 * </ol>
 */
public final class QueryPlanner {
    private final Supergraph supergraph;
    private final GraphQLSchema schema;
    private final SubgraphCoverage coverage;
    private final FetchGraphOptimizer optimizer;

    public QueryPlanner(Supergraph supergraph) {
        this.supergraph = supergraph;
        this.schema = supergraph.schema();
        this.coverage = new SubgraphCoverage(supergraph);
        this.optimizer = new FetchGraphOptimizer(coverage);
    }

    public QueryPlan plan(PreparedOperation operation) {
        return plan(operation.operation(), OperationNormalizer.selections(operation), OperationNormalizer.rootFieldsAsWritten(operation));
    }

    /** A plan of what {@code caller} may see; the fields it may not are left out and listed in the plan. */
    public QueryPlan plan(PreparedOperation operation, AccessFilter access, Caller caller) {
        List<Selection> selections = OperationNormalizer.selections(operation);
        Map<String, Selection.Field> asWritten = OperationNormalizer.rootFieldsAsWritten(operation);
        if (access.idle()) return plan(operation.operation(), selections, asWritten);
        var filtered = access.filter(selections, rootType(operation.operation()).getName(), caller);
        QueryPlan planned = plan(operation.operation(), filtered.allowed(), asWritten);
        return new QueryPlan(planned.root(), selections, planned.rootType(), planned.fetchCount(), filtered.denied());
    }

    private QueryPlan plan(OperationDefinition operation, List<Selection> selections, Map<String, Selection.Field> asWritten) {
        GraphQLObjectType rootType = rootType(operation);
        List<RootField> roots = OperationNormalizer.rootFields(selections);
        OperationWalker walker = new OperationWalker(supergraph, coverage, optimizer, operation, roots, asWritten);
        FetchGraph graph = walker.walk(rootType);
        optimizer.optimize(graph);
        // the route choices, made in document order, weighed again once all are known: the plan that costs less
        OperationWalker again = walker.refined();
        if (again != null) {
            FetchGraph refined = again.walk(rootType);
            optimizer.optimize(refined);
            if (PlanCost.of(refined).compareTo(PlanCost.of(graph)) < 0) graph = refined;
        }
        PlanNode root = PlanEmitter.emit(graph, operation, coverage);
        return new QueryPlan(root, selections, rootType.getName(), graph.groups.size());
    }

    private GraphQLObjectType rootType(OperationDefinition operation) {
        return operation.getOperation() == OperationDefinition.Operation.MUTATION ? schema.getMutationType() : schema.getQueryType();
    }
}
