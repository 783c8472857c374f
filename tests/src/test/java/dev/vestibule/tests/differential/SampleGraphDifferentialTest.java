package dev.vestibule.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vestibule.router.RouterSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The differential tester's CI sample: 150 operations of a fixed seed over the project's sample graph (its subgraphs
 * on free ports), each sent to Vestibule and to Apollo Gateway (npm-installed at a pinned version into the cache on
 * first use). Any difference fails, except those of a class {@link KnownDifferences} accepts for now; a new one is
 * shrunk and shown. Needs Node and npm: with CI set it fails without them, elsewhere it is skipped with a reason.
 * Subgraph errors are passed through (their text tells the known class apart). The full runs (both references, the audit's supergraphs, thousands of operations) are tests/differential/run.sh.
 */
class SampleGraphDifferentialTest {
    private static final long SEED = 23;
    private static final int OPERATIONS = 150;

    @Test
    void generatedOperationsGetTheAnswersApolloGatewayGives() throws Exception {
        if (!ReferenceGateway.available()) {
            if (System.getenv("CI") != null) fail("node and npm are needed for the differential test against Apollo Gateway");
            Assumptions.abort("node/npm not found: the differential test against Apollo Gateway is skipped");
        }
        Path supergraph = Path.of("..", "schemas", "supergraph.graphql");
        try (SampleGraph graph = new SampleGraph(supergraph);
             ReferenceGateway apollo = ReferenceGateway.start(ReferenceGateway.Kind.APOLLO)) {
            DifferentialRunner runner = new DifferentialRunner(List.of(apollo), RouterSettings.DEFAULTS.withExposeSubgraphErrors(true));
            DifferentialRunner.Report report = runner.run(List.of(graph.target()),
                    new DifferentialRunner.Settings(SEED, OPERATIONS, OperationGenerator.Options.DEFAULTS, 80,
                            (loaded, c) -> KnownDifferences.explain(loaded, c).map(KnownDifferences.Known::name), false),
                    line -> { });

            assertThat(report.cases()).hasSize(OPERATIONS);
            Map<String, Integer> known = new LinkedHashMap<>();
            StringBuilder unexplained = new StringBuilder();
            for (DifferentialRunner.Case c : report.cases()) {
                if (c.difference().isEmpty()) continue;
                if (c.known().isPresent()) {
                    known.merge(c.known().get(), 1, Integer::sum);
                    continue;
                }
                unexplained.append("\n--- seed ").append(c.seed()).append(": ").append(c.difference().get().describe())
                        .append("\n").append(c.operation().text()).append("variables: ").append(c.operation().variables())
                        .append("\nvestibule: ").append(c.vestibule().raw()).append("\napollo: ").append(c.references().get("apollo").raw());
                if (c.shrunk() != null) {
                    unexplained.append("\nshrunk: ").append(c.shrunk().operation().compact()).append(" ").append(c.shrunk().operation().variables())
                            .append("\n  vestibule: ").append(c.shrunk().vestibule().raw())
                            .append("\n  apollo: ").append(c.shrunk().references().get("apollo").raw());
                }
            }
            System.out.println("differential sample: " + OPERATIONS + " operations, " + report.differences()
                    + " differences, known classes " + known);
            if (!unexplained.isEmpty()) fail("Vestibule answers differently from Apollo Gateway:" + unexplained);
            // the sample must reach the graph's data, not just nulls: most operations agree
            assertThat(report.cases().stream().filter(c -> c.difference().isEmpty()).count()).isGreaterThan(OPERATIONS * 8L / 10);
        }
    }
}
