package dev.vestibule.router.operation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The estimated cost follows @cost weights and @listSize (slicing arguments, variables, assumed sizes). */
class CostEstimatorTest {
    private static final Supergraph SUPERGRAPH = SupergraphLoader.load(((CompositionResult.Composed) Composer.compose(List.of(
            new SubgraphSource("shop", "http://shop/graphql", """
                    extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])
                    type Query {
                      items(first: Int): [Item] @listSize(slicingArguments: ["first"])
                      featured: [Item] @listSize(assumedSize: 4)
                      all: [Item]
                      expensive: Int @cost(weight: 10)
                    }
                    type Item @key(fields: "id") { id: ID! heavy: Int @cost(weight: 3) }
                    """)))).supergraphSdl());

    private static long cost(String query, Map<String, Object> variables) {
        OperationPreparer preparer = new OperationPreparer(SUPERGRAPH.apiSchema(), 10);
        PreparedOperation operation = preparer.prepare(new GraphQLRequest(query, null, variables, Map.of()));
        List<Selection> selections = new SelectionNormalizer(operation.fragments())
                .normalize(operation.operation().getSelectionSet());
        return new CostEstimator(SUPERGRAPH.apiSchema(), SUPERGRAPH.demand(), 10).estimate(selections, "Query", operation.variables());
    }

    @Test
    void weightsAndListSizes() {
        assertThat(cost("{ expensive }", Map.of())).isEqualTo(10);
        assertThat(cost("{ items(first: 3) { id } }", Map.of())).isEqualTo(3);
        assertThat(cost("query($n: Int) { items(first: $n) { id heavy } }", Map.of("n", 5))).isEqualTo(5 * (1 + 3));
        assertThat(cost("{ featured { id } }", Map.of())).isEqualTo(4);
        assertThat(cost("{ all { id } expensive }", Map.of())).isEqualTo(10 + 10);
    }
}
