package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.tests.bench.CannedSubgraphs;
import dev.vestibule.tests.testkit.GraphQLClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A Federation 1 supergraph (join v0.1) served over HTTP answers the gateways benchmark query exactly as the
 * Federation 2 supergraph of the same graph does: same subgraph requests (the recorded answers replay only for
 * identical requests) and the same 87.6 KB answer.
 */
class Federation1SupergraphEndToEndTest {
    private static final Path FED1 = Path.of("..", "router", "src", "test", "resources", "fed1");
    /** The benchmark graph and query the recorded answers belong to (a pinned copy of ../shared/bench's). */
    private static final Path BENCH = Path.of("src", "test", "resources", "bench");

    @Test
    void theFederation1SupergraphAnswersTheBenchmarkQueryLikeTheFederation2One() throws Exception {
        String query = Files.readString(BENCH.resolve("query.graphql"));
        JsonNode fed1 = answer(Files.readString(FED1.resolve("bench-join-v0.1.graphql")), query);
        JsonNode fed2 = answer(Files.readString(BENCH.resolve("supergraph.graphql")), query);
        assertThat(fed1.has("errors")).as("errors: %s", fed1.get("errors")).isFalse();
        assertThat(fed1.at("/data/topProducts").size()).isEqualTo(5);
        assertThat(fed1).isEqualTo(fed2);
    }

    private static JsonNode answer(String supergraph, String query) throws Exception {
        CannedSubgraphs subgraphs = CannedSubgraphs.fromRecording();
        try (Router router = new Router(SupergraphLoader.load(supergraph), RouterSettings.DEFAULTS, subgraphs);
             RouterServer server = RouterServer.start(router, RouterSettings.DEFAULTS, "127.0.0.1", 0)) {
            HttpResponse<String> response = GraphQLClient.to(server.port()).post(query, null, null, null);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(subgraphs.misses()).as("subgraph requests not in the recording").isZero();
            return FederatedGraph.JSON.readTree(response.body());
        }
    }
}
