package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.samples.server.RequestLog;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Selections that leave nothing to ask a subgraph for at some field or fragment (issue #23, the differential tester's
 * classes A1 and A2): every selection of a field removed by a literal @skip/@include, a fragment's, or a fragment
 * under a variable condition whose fields apply to other union members only. A subgraph rejects an empty selection
 * set, and with it the whole fetch, so all its data came back null with an error; the answers expected here are the
 * ones Apollo Gateway 2.14 and Hive Gateway 2.10 give on the same subgraphs (Hive Gateway fails on the {@code id}
 * case with an "Unexpected error"; Apollo Gateway's answer is the spec's). The sample subgraphs, over real sockets.
 */
class EmptySelectionSetEndToEndTest {
    @RegisterExtension
    static final FederatedGraph graph = FederatedGraph.forClass(RouterSettings.DEFAULTS);

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            { topProducts(first: 2) { quantity @include(if: false) } }                                   | {}    | {"data":{"topProducts":[{},{}]}}
            { topProducts(first: 2) { ... on Product @include(if: false) { name } } }                   | {}    | {"data":{"topProducts":[{},{}]}}
            { me { reviews { product { name @skip(if: true) } } } }                                      | {}    | {"data":{"me":{"reviews":[{"product":{}},{"product":{}},{"product":{}},{"product":{}},{"product":{}}]}}}
            query($v: Boolean = false) { search(text: "ada.", first: 2) { ... on Node { ... on User @skip(if: $v) { id } } } }       | {}           | {"data":{"search":[{"id":"u8"},{"id":"u55"}]}}
            query($v: Boolean = false) { search(text: "ada.", first: 2) { ... on Node { ... on User @skip(if: $v) { id } } } }       | {"v": true}  | {"data":{"search":[{},{}]}}
            query($v: Boolean = false) { search(text: "ada.", first: 2) { ... on Node { ... on User @skip(if: $v) { username } } } } | {}           | {"data":{"search":[{"username":"ada.allen8"},{"username":"ada.backus55"}]}}
            query($v: Boolean = false) { search(text: "ada.", first: 2) { ... on Node { ... on User @skip(if: $v) { username } } } } | {"v": true}  | {"data":{"search":[{},{}]}}
            """)
    void answersAsTheReferenceGatewaysDoAndNoSubgraphGetsAnEmptySelectionSet(String query, String variables, String expected)
            throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> values = FederatedGraph.JSON.readValue(variables, Map.class);
        JsonNode answer = graph.query(query, values);
        assertThat(answer).isEqualTo(FederatedGraph.JSON.readTree(expected));
        for (String name : SampleSubgraphs.names()) {
            for (RequestLog.Entry entry : graph.subgraph(name).requestLog().entries()) {
                assertThat(entry.query()).as("sent to %s", name).doesNotContain("{}");
            }
        }
    }
}
