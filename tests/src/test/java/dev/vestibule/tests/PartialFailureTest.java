package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.samples.server.FaultSettings;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A subgraph that fails (HTTP 500, garbage, GraphQL errors, a hang, a cut connection, or gone) costs only the fields
 * it owns: they are null with an error at their client path, nulls propagate through non-null fields, and every
 * other subgraph's data comes back, with HTTP 200.
 */
class PartialFailureTest {
    private static final Duration SUBGRAPH_TIMEOUT = Duration.ofSeconds(1);

    @RegisterExtension
    static final FederatedGraph graph = FederatedGraph.forClass(RouterSettings.DEFAULTS.withSubgraphTimeout(SUBGRAPH_TIMEOUT));

    private static JsonNode ask(String query) throws Exception {
        HttpResponse<String> response = graph.post(query, null, Map.of(), "application/graphql-response+json");
        assertThat(response.statusCode()).isEqualTo(200);
        return FederatedGraph.JSON.readTree(response.body());
    }

    @Test
    void http500LeavesTheSubgraphsFieldsNullAndTheRestIntact() throws Exception {
        graph.subgraph("media").setFaults(FaultSettings.NONE.withHttp500Rate(1));
        JsonNode answer = ask("{ topProducts(first: 2) { name coverImage { url } } me { username } }");
        assertThat(answer.at("/data/topProducts/0/name").isTextual()).isTrue();
        assertThat(answer.at("/data/topProducts/0/coverImage").isNull()).isTrue();
        assertThat(answer.at("/data/topProducts/1/coverImage").isNull()).isTrue();
        assertThat(answer.at("/data/me/username").isTextual()).isTrue();
        assertThat(answer.at("/errors/0/path").toString()).isEqualTo("[\"topProducts\",0,\"coverImage\"]");
        assertThat(answer.at("/errors/0/extensions/code").asText()).isEqualTo("SUBGRAPH_HTTP_ERROR");
        assertThat(answer.at("/errors/0/extensions/serviceName").asText()).isEqualTo("media");
    }

    @Test
    void nullsPropagateToTheNearestNullableParent() throws Exception {
        graph.subgraph("inventory").setFaults(FaultSettings.NONE.withHttp500Rate(1));
        // inStock is Boolean!: the product becomes null; productBySku is nullable, so the null stops there
        JsonNode nullable = ask("{ productBySku(sku: \"SKU-1\", variationId: \"v1\") { name inStock } me { username } }");
        assertThat(nullable.at("/data/productBySku").isNull()).isTrue();
        assertThat(nullable.at("/data/me/username").isTextual()).isTrue();
        assertThat(nullable.at("/errors/0/path").toString()).isEqualTo("[\"productBySku\",\"inStock\"]");
        // topProducts is [Product!]!: the null climbs through the list to the root, and data is null
        JsonNode rootNull = ask("{ topProducts(first: 2) { name inStock } }");
        assertThat(rootNull.get("data").isNull()).isTrue();
        assertThat(rootNull.at("/errors/0/path").toString()).isEqualTo("[\"topProducts\",0,\"inStock\"]");
    }

    @Test
    void invalidJsonFromASubgraph() throws Exception {
        graph.subgraph("reviews").setFaults(FaultSettings.NONE.withInvalidJsonRate(1));
        JsonNode answer = ask("{ topProducts(first: 2) { name averageRating } }");
        assertThat(answer.at("/data/topProducts/1/name").isTextual()).isTrue();
        assertThat(answer.at("/data/topProducts/0/averageRating").isNull()).isTrue();
        assertThat(answer.at("/errors/0/extensions/code").asText()).isEqualTo("SUBGRAPH_INVALID_RESPONSE");
    }

    @Test
    void subgraphGraphQLErrorsAreMaskedAndRepathed() throws Exception {
        graph.subgraph("accounts").setFaults(FaultSettings.NONE.withErrorRate(1));
        JsonNode answer = ask("{ me { username } topProducts(first: 1) { name } }");
        assertThat(answer.at("/data/me").isNull()).isTrue();
        assertThat(answer.at("/data/topProducts/0/name").isTextual()).isTrue();
        JsonNode error = answer.at("/errors/0");
        assertThat(error.get("message").asText()).isEqualTo("Subgraph errors redacted");
        assertThat(error.at("/extensions/code").asText()).isEqualTo("INJECTED_ERROR");
        assertThat(error.at("/extensions/serviceName").asText()).isEqualTo("accounts");
    }

    @Test
    void entityErrorsArePathedToTheObjectsTheyBelongTo() throws Exception {
        // accounts fails the _entities call for the review authors: the errors point at the authors in the response
        graph.subgraph("accounts").setFaults(FaultSettings.NONE.withErrorRate(1));
        JsonNode answer = ask("{ latestReviews(first: 3) { edges { node { id author { email } } } } }");
        assertThat(answer.at("/data/latestReviews/edges/0/node/id").isTextual()).isTrue();
        assertThat(answer.at("/data/latestReviews/edges/0/node/author").isNull()).isTrue();
        assertThat(answer.at("/errors/0/path").toString()).startsWith("[\"latestReviews\",\"edges\",0,\"node\",\"author\"");
    }

    @Test
    void aHungSubgraphTimesOutWellBeforeTheClientDoes() throws Exception {
        graph.subgraph("inventory").setFaults(FaultSettings.NONE.withHangRate(1));
        long start = System.nanoTime();
        JsonNode answer = ask("{ topProducts(first: 2) { name margin } }");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(answer.at("/data/topProducts/0/name").isTextual()).isTrue();
        assertThat(answer.at("/data/topProducts/0/margin").isNull()).isTrue();
        assertThat(answer.at("/errors/0/extensions/code").asText()).isEqualTo("SUBGRAPH_TIMEOUT");
        assertThat(took).isLessThan(Duration.ofSeconds(15)); // 1 s timeout; generous for a loaded machine
    }

    @Test
    void aConnectionCutMidResponse() throws Exception {
        graph.subgraph("media").setFaults(FaultSettings.NONE.withDisconnectRate(1));
        JsonNode answer = ask("{ topProducts(first: 1) { name coverImage { id } } }");
        assertThat(answer.at("/data/topProducts/0/name").isTextual()).isTrue();
        assertThat(answer.at("/data/topProducts/0/coverImage").isNull()).isTrue();
        assertThat(answer.at("/errors/0/extensions/serviceName").asText()).isEqualTo("media");
    }

    @Test
    void theRequestDeadlineEndsFetchesThatOutliveIt() throws Exception {
        RouterSettings settings = RouterSettings.DEFAULTS.withSubgraphTimeout(Duration.ofSeconds(30))
                .withRequestTimeout(Duration.ofSeconds(1));
        try (FederatedGraph own = new FederatedGraph(settings)) {
            own.subgraph("reviews").setFaults(FaultSettings.NONE.withHangRate(1));
            long start = System.nanoTime();
            HttpResponse<String> response = own.post("{ topProducts(first: 1) { name averageRating } }", null, Map.of(), null);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            JsonNode answer = FederatedGraph.JSON.readTree(response.body());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(answer.at("/data/topProducts/0/name").isTextual()).isTrue();
            assertThat(answer.at("/data/topProducts/0/averageRating").isNull()).isTrue();
            assertThat(answer.at("/errors/0/extensions/serviceName").asText()).isEqualTo("reviews");
            assertThat(took).isLessThan(Duration.ofSeconds(15)); // the subgraph timeout (30 s) never came into play
        }
    }

    @Test
    void aStoppedSubgraph() throws Exception {
        try (FederatedGraph own = new FederatedGraph(RouterSettings.DEFAULTS.withSubgraphTimeout(SUBGRAPH_TIMEOUT))) {
            own.subgraph("accounts").close();
            HttpResponse<String> response = own.post("{ me { username } topProducts(first: 1) { name } }", null, Map.of(), null);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = FederatedGraph.JSON.readTree(response.body());
            assertThat(answer.at("/data/me").isNull()).isTrue();
            assertThat(answer.at("/data/topProducts/0/name").isTextual()).isTrue();
            assertThat(answer.at("/errors/0/path").toString()).isEqualTo("[\"me\"]");
            assertThat(answer.at("/errors/0/extensions/code").asText()).isEqualTo("SUBGRAPH_UNREACHABLE");
        }
    }
}
