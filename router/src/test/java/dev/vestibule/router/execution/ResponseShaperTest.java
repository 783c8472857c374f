package dev.vestibule.router.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.Answers;
import dev.vestibule.router.Gateway;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.Selection;
import dev.vestibule.router.subgraph.SubgraphCall;
import dev.vestibule.router.subgraph.SubgraphTransport;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shaper writes the answer while it walks the subgraph data. When null propagation turns a value into null after
 * some of it was written, what was written must vanish: these check the exact bytes of the answer, errors first.
 */
class ResponseShaperTest {
    private static final String SDL = """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])
            type Query {
              shop: Shop
              strictShop: Shop!
            }
            type Shop {
              name: String
              owner: Person
              items: [Item!]
              looseItems: [Item]
              tags: [String!]!
              color: Color
            }
            type Person {
              name: String
              email: String!
              manager: Person
            }
            type Item {
              id: ID!
              label: String
            }
            enum Color { RED GREEN SECRET_SHADE @inaccessible }
            """;

    /** The answer to {@code query} when the one subgraph answers {@code subgraphAnswer}. */
    private static String answer(String query, String subgraphAnswer) {
        CompositionResult result = Composer.compose(List.of(new SubgraphSource("shop", "http://127.0.0.1:1/graphql", SDL, "test")));
        String supergraph = ((CompositionResult.Composed) result).supergraphSdl();
        SubgraphTransport canned = new SubgraphTransport() {
            @Override
            public Reply send(SubgraphCall call) {
                return new Reply(200, subgraphAnswer.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void close() {}
        };
        try (Gateway router = new Router(SupergraphLoader.load(supergraph), RouterSettings.DEFAULTS, canned)) {
            return Answers.text(router.execute(new GraphQLRequest(query, null, Map.of(), Map.of()), Answers.anonymous()));
        }
    }

    @Test
    void fieldsComeInQueryOrderUnderTheirResponseKeys() {
        assertThat(answer("{ shop { title: name color owner { name } } }",
                "{\"data\":{\"shop\":{\"owner\":{\"name\":\"Ann\"},\"title\":\"Corner \\\"shop\\\"\",\"color\":\"RED\"}}}"))
                .isEqualTo("{\"data\":{\"shop\":{\"title\":\"Corner \\\"shop\\\"\",\"color\":\"RED\",\"owner\":{\"name\":\"Ann\"}}}}");
    }

    @Test
    void aNullNonNullFieldNullsItsNearestNullableParentAndWhatWasWrittenOfIt() {
        // owner was half written (its name) when its non-null email came out null: owner becomes null, shop keeps the rest
        assertThat(answer("{ shop { name owner { name email } color } }",
                "{\"data\":{\"shop\":{\"name\":\"Corner\",\"owner\":{\"name\":\"Ann\",\"email\":null},\"color\":\"GREEN\"}}}"))
                .isEqualTo("{\"errors\":[{\"message\":\"Cannot return null for non-nullable field\",\"path\":[\"shop\",\"owner\",\"email\"]}],"
                        + "\"data\":{\"shop\":{\"name\":\"Corner\",\"owner\":null,\"color\":\"GREEN\"}}}");
    }

    @Test
    void aNullItemOfAListOfNonNullItemsNullsTheWholeList() {
        assertThat(answer("{ shop { items { id label } looseItems { id } } }",
                "{\"data\":{\"shop\":{\"items\":[{\"id\":\"1\",\"label\":\"a\"},{\"id\":null,\"label\":\"b\"}],"
                        + "\"looseItems\":[{\"id\":\"1\"},{\"id\":null},null]}}}"))
                .isEqualTo("{\"errors\":[{\"message\":\"Cannot return null for non-nullable field\",\"path\":[\"shop\",\"items\",1,\"id\"]},"
                        + "{\"message\":\"Cannot return null for non-nullable field\",\"path\":[\"shop\",\"looseItems\",1,\"id\"]}],"
                        + "\"data\":{\"shop\":{\"items\":null,\"looseItems\":[{\"id\":\"1\"},null,null]}}}");
    }

    @Test
    void nullsPropagateThroughNonNullParentsUpToTheData() {
        // tags is [String!]!: a null tag nulls the list, the list nulls strictShop, and strictShop (non-null) nulls data
        assertThat(answer("{ strictShop { name tags } }",
                "{\"data\":{\"strictShop\":{\"name\":\"Corner\",\"tags\":[\"x\",null]}}}"))
                .isEqualTo("{\"errors\":[{\"message\":\"Cannot return null for non-nullable field\",\"path\":[\"strictShop\",\"tags\",1]}],"
                        + "\"data\":null}");
    }

    @Test
    void deepPropagationStopsAtTheFirstNullableAncestor() {
        assertThat(answer("{ shop { owner { manager { manager { email name } } name } } }",
                "{\"data\":{\"shop\":{\"owner\":{\"manager\":{\"manager\":{\"email\":null,\"name\":\"Bo\"}},\"name\":\"Ann\"}}}}"))
                .isEqualTo("{\"errors\":[{\"message\":\"Cannot return null for non-nullable field\","
                        + "\"path\":[\"shop\",\"owner\",\"manager\",\"manager\",\"email\"]}],"
                        + "\"data\":{\"shop\":{\"owner\":{\"manager\":{\"manager\":null},\"name\":\"Ann\"}}}}");
    }

    @Test
    void anEnumValueNoSchemaDefinesIsNullWithAnErrorThatDoesNotEchoIt() {
        assertThat(answer("{ shop { color name } }", "{\"data\":{\"shop\":{\"color\":\"BLUE\",\"name\":\"Corner\"}}}"))
                .isEqualTo("{\"errors\":[{\"message\":\"a subgraph returned a value that is not a valid Color value\",\"path\":[\"shop\",\"color\"]}],"
                        + "\"data\":{\"shop\":{\"color\":null,\"name\":\"Corner\"}}}");
    }

    @Test
    void anInaccessibleEnumValueIsNullWithoutAnError() {
        // hidden from clients on purpose (e.g. rolled out to subgraphs first): absent, as objects of hidden types are
        assertThat(answer("{ shop { color name } }", "{\"data\":{\"shop\":{\"color\":\"SECRET_SHADE\",\"name\":\"Corner\"}}}"))
                .isEqualTo("{\"data\":{\"shop\":{\"color\":null,\"name\":\"Corner\"}}}");
    }

    @Test
    void anErrorPathIsCutBeforeTheFirstKeyTheOperationDoesNotSelect() {
        // { topProducts { ... on ProductList { first { name } } products { name } } }
        Selection.Field name = new Selection.Field("name", "name", List.of(), List.of(), List.of());
        Selection.Field first = new Selection.Field("first", "first", List.of(), List.of(), List.of(name));
        Selection.Field products = new Selection.Field("products", "products", List.of(), List.of(), List.of(name));
        List<Selection> operation = List.of(new Selection.Field("topProducts", "topProducts", List.of(), List.of(), List.of(
                new Selection.Fragment("ProductList", List.of(first)), products)));
        Map<String, Object> asked = Map.of("message", "m", "path", List.of("topProducts", "products", 1, "name"));
        assertThat(ResponseShaper.withinOperation(asked, operation)).isSameAs(asked);
        assertThat(ResponseShaper.withinOperation(Map.of("message", "m", "path", List.of("topProducts", "first", "name")), operation))
                .as("a field inside a fragment").containsEntry("path", List.of("topProducts", "first", "name"));
        // the key the router asked for another fetch (selected { id }), a @requires field below a list
        assertThat(ResponseShaper.withinOperation(Map.of("message", "m", "path", List.of("topProducts", "selected")), operation))
                .containsEntry("path", List.of("topProducts"));
        assertThat(ResponseShaper.withinOperation(Map.of("message", "m", "path", List.of("topProducts", "products", 0, "weight")), operation))
                .containsEntry("path", List.of("topProducts", "products", 0));
        assertThat(ResponseShaper.withinOperation(Map.of("message", "m", "path", List.of("__internal")), operation))
                .containsOnlyKeys("message");
    }
}
