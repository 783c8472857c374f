package dev.vestibule.router.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.TestSupergraphs;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's query (a pinned copy of ../shared/bench's, in src/test/resources/bench) on the benchmark's supergraph: it must
 * plan, with users and topProducts read in parallel and every nested entity level batched into one fetch per
 * subgraph and path.
 */
class BenchmarkQueryPlanTest {
    private static final Path BENCH = Path.of("src", "test", "resources", "bench");

    @Test
    void theBenchmarkQueryPlansIntoThirteenBatchedFetches() {
        try (Router router = new Router(SupergraphLoader.load(TestSupergraphs.read(BENCH.resolve("supergraph.graphql"))),
                RouterSettings.DEFAULTS)) {
            QueryPlan plan = router.prepare(new GraphQLRequest(TestSupergraphs.read(BENCH.resolve("query.graphql")),
                    null, Map.of(), Map.of()), null).plan();
            assertThat(plan.fetchCount()).isEqualTo(13);
            assertThat(plan.root()).isInstanceOf(PlanNode.Sequence.class);
            PlanNode first = ((PlanNode.Sequence) plan.root()).nodes().get(0);
            assertThat(first).isInstanceOf(PlanNode.Parallel.class);
            assertThat(((PlanNode.Parallel) first).nodes()).extracting(n -> ((PlanNode.Fetch) n).subgraph())
                    .containsExactlyInAnyOrder("accounts", "products");
        }
    }
}
