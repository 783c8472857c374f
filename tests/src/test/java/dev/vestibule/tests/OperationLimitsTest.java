package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.config.RouterConfig;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each operation limit accepts an operation at its threshold and refuses one just above, before any subgraph. */
class OperationLimitsTest {
    private static FederatedGraph graph;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), """
                router:
                  max_body_bytes: 600
                  limits:
                    max_depth: 3
                    max_aliases: 2
                    max_root_fields: 2
                    max_tokens: 40
                    max_cost: 20
                """));
        graph = new FederatedGraph(config);
    }

    @AfterAll
    static void stop() {
        graph.close();
    }

    private static HttpResponse<String> send(String query) throws Exception {
        return graph.post(query, null, Map.of(), "application/graphql-response+json");
    }

    private static void accepted(String query) throws Exception {
        HttpResponse<String> response = send(query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("\"errors\"");
    }

    private static void refused(String query, String code) throws Exception {
        graph.resetLogsAndFaults();
        HttpResponse<String> response = send(query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains(code);
        assertThat(graph.totalSubgraphRequests()).isZero();
    }

    @Test
    void depth() throws Exception {
        accepted("{ me { name { first } } }");                                       // 3 deep
        refused("{ me { reviews(first: 1) { product { upc } } } }", "MAX_DEPTH_LIMIT"); // 4 deep
        refused("query { me { ...R } } fragment R on User { reviews(first: 1) { product { upc } } }", "MAX_DEPTH_LIMIT");
    }

    @Test
    void aliases() throws Exception {
        accepted("{ a: me { u: username } }");
        refused("{ a: me { u: username v: username } }", "MAX_ALIASES_LIMIT");
    }

    @Test
    void rootFields() throws Exception {
        accepted("{ me { username } __typename }");
        refused("{ me { username } __typename t: __typename }", "MAX_ROOT_FIELDS_LIMIT");
    }

    @Test
    void tokens() throws Exception {
        accepted("{ me { username email } }");
        accepted("{ me { " + "username ".repeat(35) + "} }");                         // 40 tokens
        refused("{ me { " + "username ".repeat(36) + "} }", "MAX_TOKENS_LIMIT");      // 41
    }

    @Test
    void bodySize() throws Exception {
        String padding = " ".repeat(600 - "{\"query\":\"{ __typename }\"}".length());
        HttpResponse<String> atLimit = graph.postRaw("{\"query\":\"{ __typename }\"}" + padding, "application/json");
        assertThat(atLimit.statusCode()).isEqualTo(200);
        HttpResponse<String> above = graph.postRaw("{\"query\":\"{ __typename }\"}" + padding + " ", "application/json");
        assertThat(above.statusCode()).isEqualTo(413);
    }

    @Test
    void estimatedCost() throws Exception {
        // topProducts: a list without @listSize counts 10 items, each a Product (1) with a ReviewConnection (1)
        accepted("{ topProducts { reviews { totalCount } } }");                          // 10 x 2 = 20
        refused("{ topProducts { reviews { totalCount } } me { username } }", "COST_ESTIMATED_TOO_EXPENSIVE"); // 21
    }
}
