package dev.vestibule.router.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.TestSupergraphs;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.nio.file.Path;
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
        QueryPlan plan = new Planning(SupergraphLoader.load(TestSupergraphs.read(BENCH.resolve("supergraph.graphql"))))
                .plan(TestSupergraphs.read(BENCH.resolve("query.graphql")));
        assertThat(plan.fetchCount()).isEqualTo(13);
        assertThat(plan.root()).isInstanceOf(PlanNode.Sequence.class);
        PlanNode first = ((PlanNode.Sequence) plan.root()).nodes().get(0);
        assertThat(first).isInstanceOf(PlanNode.Parallel.class);
        assertThat(((PlanNode.Parallel) first).nodes()).extracting(n -> ((PlanNode.Fetch) n).subgraph())
                .containsExactlyInAnyOrder("accounts", "products");
    }
}
