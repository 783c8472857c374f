package dev.vestibule.router.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.TestSupergraphs;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's query (a pinned copy of ../shared/bench's, in src/test/resources/bench) on the benchmark's supergraph:
 * users and topProducts read in parallel, every nested entity level batched into one fetch per subgraph and path, and
 * the entity fetches to one subgraph that run in the same stage sent as one request (MergeSiblingFetches): 7 subgraph
 * requests in 4 stages, as Hive Gateway sends them (13 before the pass, one per subgraph and path; Apollo Gateway 16).
 */
class BenchmarkQueryPlanTest {
    private static final Path BENCH = Path.of("src", "test", "resources", "bench");

    @Test
    void theBenchmarkQueryPlansIntoSevenRequestsInFourStages() {
        QueryPlan plan = new Planning(SupergraphLoader.load(TestSupergraphs.read(BENCH.resolve("supergraph.graphql"))))
                .plan(TestSupergraphs.read(BENCH.resolve("query.graphql")));
        assertThat(plan.fetchCount()).isEqualTo(7);
        assertThat(plan.root()).isInstanceOf(PlanNode.Sequence.class);
        List<PlanNode> stages = ((PlanNode.Sequence) plan.root()).nodes();
        assertThat(stages).extracting(BenchmarkQueryPlanTest::subgraphs).containsExactly(
                List.of("accounts", "products"), List.of("reviews", "inventory"), List.of("products", "accounts"), List.of("inventory"));
        // one reviews request for the users' reviews and the top products' reviews: two paths, a User and a Product fragment
        PlanNode.Flatten reviews = (PlanNode.Flatten) ((PlanNode.Parallel) stages.get(1)).nodes().get(0);
        assertThat(reviews.paths()).containsExactly(List.of("users", "@"), List.of("topProducts", "@"));
        assertThat(reviews.fetch().operation()).contains("... on User {reviews", "... on Product {reviews");
    }

    private static List<String> subgraphs(PlanNode stage) {
        List<PlanNode> fetches = stage instanceof PlanNode.Parallel parallel ? parallel.nodes() : List.of(stage);
        return fetches.stream().map(n -> n instanceof PlanNode.Flatten f ? f.fetch().subgraph() : ((PlanNode.Fetch) n).subgraph()).toList();
    }
}
