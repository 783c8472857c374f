package dev.vestibule.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.supergraph.SupergraphLoader;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How answers are compared, and the shape test of the accepted difference class. */
class ComparisonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Answer answer(String json) throws Exception {
        return Answer.of(JSON.readTree(json), 0);
    }

    @Test
    void dataIsDeepEqualWithArraysInOrderNullDistinctFromMissingAndNumbersByValue() throws Exception {
        assertThat(answer("{\"data\":{\"a\":1,\"b\":[1,2]}}").agrees(answer("{\"data\":{\"b\":[1,2],\"a\":1.0}}"))).isTrue();
        assertThat(answer("{\"data\":{\"b\":[1,2]}}").agrees(answer("{\"data\":{\"b\":[2,1]}}"))).isFalse();
        assertThat(answer("{\"data\":{\"a\":null}}").agrees(answer("{\"data\":{}}"))).isFalse();
        assertThat(answer("{\"data\":null}").agrees(answer("{}"))).isFalse();
        assertThat(answer("{\"data\":{\"a\":1},\"errors\":[{\"message\":\"x\"}]}").agrees(answer("{\"data\":{\"a\":1}}"))).isFalse();
        assertThat(answer("{\"data\":{\"a\":1},\"errors\":[]}").agrees(answer("{\"data\":{\"a\":1}}"))).isTrue();
    }

    @Test
    void differencesAreClassifiedAtTheirFirstPath() throws Exception {
        Answer reference = answer("{\"data\":{\"x\":{\"y\":[{\"z\":1},{\"z\":2}]}}}");
        assertThat(answer("{\"data\":{\"x\":{\"y\":[{\"z\":1},{\"z\":null}]}},\"errors\":[{}]}").differenceFrom(reference).orElseThrow())
                .isEqualTo(new Answer.Difference(Answer.Kind.NULL_WHERE_REFERENCE_HAS_DATA, "x.y.1.z"));
        assertThat(answer("{\"data\":{\"x\":{\"y\":[{\"z\":1},{\"z\":3}]}}}").differenceFrom(reference).orElseThrow())
                .isEqualTo(new Answer.Difference(Answer.Kind.OTHER_DATA, "x.y.1.z"));
        assertThat(answer("{\"data\":null,\"errors\":[{}]}").differenceFrom(reference).orElseThrow().kind())
                .isEqualTo(Answer.Kind.NULL_WHERE_REFERENCE_HAS_DATA);
        assertThat(reference.differenceFrom(answer("{\"data\":{\"x\":null}}")).orElseThrow().kind())
                .isEqualTo(Answer.Kind.DATA_WHERE_REFERENCE_IS_NULL);
        assertThat(answer("{\"data\":{\"x\":{\"y\":[{\"z\":1},{\"z\":2}]}},\"errors\":[{}]}").differenceFrom(reference).orElseThrow().kind())
                .isEqualTo(Answer.Kind.EXTRA_ERRORS);
    }

    @Test
    void theEmptiedSelectionShapeIsRecognizedOnlyWhereEverySelectionOfAFieldGoes() throws Exception {
        GraphQLSchema api = SupergraphLoader.load(Files.readString(Path.of("..", "schemas", "supergraph.graphql"))).apiSchema();
        assertThat(emptied(api, "{ topProducts { quantity @include(if: false) } }", Map.of())).isTrue();
        // a condition on a variable guarding nothing the subgraph can be asked for
        assertThat(emptied(api, "query($v: Boolean!) { product(upc: \"1\") { upc ... on SearchResult { ... on User @include(if: $v) { id } } } }",
                Map.of("v", false))).isTrue();
        assertThat(emptied(api, "query($v: Boolean!) { users { edges @include(if: $v) { cursor @skip(if: true) } } }", Map.of("v", true))).isTrue();
        // a fragment on a type a User never is
        assertThat(emptied(api, "{ user(id: \"u1\") { ... on Node { ... on Review { body } } } }", Map.of())).isTrue();
        assertThat(emptied(api, "{ me { ...F } } fragment F on User { id @skip(if: true) }", Map.of())).isTrue();

        // a fragment that applies and keeps nothing, next to other fields
        assertThat(emptied(api, "query($v: Boolean!) { review(id: \"r1\") { id ... on Review @include(if: $v) { body @include(if: false) } } }",
                Map.of("v", true))).isTrue();

        assertThat(emptied(api, "{ topProducts { quantity @include(if: false) upc } }", Map.of())).isFalse();
        // a fragment on a type that never applies, without a condition, beside fields: left out, nothing emptied
        assertThat(emptied(api, "{ product(upc: \"1\") { upc ... on SearchResult { ... on User { id } } } }", Map.of())).isFalse();
        // a condition on a variable stays in the subgraph query, with what it guards: whatever the value, nothing is empty
        assertThat(emptied(api, "query($s: Boolean!) { me { ... @skip(if: $s) { id } } }", Map.of("s", true))).isFalse();
        assertThat(emptied(api, "query($s: Boolean = true) { me { id @skip(if: $s) } }", Map.of())).isFalse();
        assertThat(emptied(api, "{ me { ...F } } fragment F on User { id @skip(if: false) }", Map.of())).isFalse();
        // a skipped field goes with its selections: nothing is sent for it
        assertThat(emptied(api, "{ me @skip(if: true) { id @skip(if: true) } warehouses { code } }", Map.of())).isFalse();
    }

    private static boolean emptied(GraphQLSchema api, String query, Map<String, Object> variables) {
        return KnownDifferences.hasEmptiedSelection(api, new GeneratedOperation(Parser.parse(query), variables));
    }
}
