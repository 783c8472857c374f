package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.bff.mobile.graphql.HomeQuery;
import dev.vestibule.bff.mobile.graphql.ProductDetailQuery;
import dev.vestibule.bff.web.graphql.DashboardQuery;
import dev.vestibule.router.config.ConfigException;
import dev.vestibule.router.config.RouterConfig;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safelists per client (issue #25): the router takes each BFF module's manifest as the operations its client may run,
 * keyed by the apollographql-client-name header, over real sockets in front of the sample subgraphs. The manifests
 * come from the BFF jars on the class path ({@code classpath}) or from files.
 */
class BffClientSafelistTest {
    /** POSTs {@code body}, naming the client in {@code header} (none when {@code client} is null). */
    private static HttpResponse<String> post(FederatedGraph graph, String header, String client, Map<String, Object> body) throws Exception {
        String json = FederatedGraph.JSON.writeValueAsString(body);
        return client == null ? graph.client.postRaw(json, null) : graph.client.postRaw(json, null, header, client);
    }

    private static HttpResponse<String> post(FederatedGraph graph, String client, Map<String, Object> body) throws Exception {
        return post(graph, "apollographql-client-name", client, body);
    }

    private static Map<String, Object> text(String query) {
        return Map.of("query", query);
    }

    private static Map<String, Object> byId(String id, Map<String, Object> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("variables", variables);
        body.put("extensions", Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", id)));
        return body;
    }

    private static void assertRefused(FederatedGraph graph, HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode answer = FederatedGraph.JSON.readTree(response.body());
        assertThat(answer.at("/errors/0/extensions/code").asText()).isEqualTo("PERSISTED_QUERY_NOT_IN_LIST");
        assertThat(graph.totalSubgraphRequests()).as("a refused operation reaches no subgraph").isZero();
    }

    @Test
    void eachClientRunsOnlyItsOwnModulesOperations(@TempDir Path dir) throws Exception {
        RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), """
                persisted_queries:
                  clients:
                    mobile: classpath
                    web: classpath
                """));
        try (FederatedGraph graph = new FederatedGraph(config)) {
            HttpResponse<String> home = post(graph, "mobile", text(HomeQuery.DOCUMENT));
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.body()).contains("\"topProducts\"").doesNotContain("\"errors\"");

            String upc = FederatedGraph.JSON.readTree(home.body()).at("/data/topProducts/0/upc").asText();
            HttpResponse<String> detail = post(graph, "mobile", byId(ProductDetailQuery.ID, Map.of("upc", upc)));
            assertThat(detail.statusCode()).isEqualTo(200);
            assertThat(FederatedGraph.JSON.readTree(detail.body()).at("/data/product/upc").asText()).isEqualTo(upc);

            assertThat(post(graph, "web", byId(DashboardQuery.ID, Map.of())).body()).contains("\"featuredMedia\"");
            // a client name no list has, and no client name at all: served as without client lists
            assertThat(post(graph, null, text("{ me { email } }")).body()).contains("\"email\"");
            assertThat(post(graph, "tv", text("{ me { email } }")).body()).contains("\"email\"");

            graph.resetLogsAndFaults();
            assertRefused(graph, post(graph, "mobile", byId(DashboardQuery.ID, Map.of()))); // the web team's operation, by id
            assertRefused(graph, post(graph, "mobile", text(DashboardQuery.DOCUMENT)));     // and by text
            assertRefused(graph, post(graph, "mobile", text("{ me { email } }")));           // and anything else
            assertRefused(graph, post(graph, "web", text(HomeQuery.DOCUMENT)));
            HttpResponse<String> registering = post(graph, "mobile", Map.of("query", "{ me { email } }",
                    "extensions", Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", "0".repeat(64)))));
            assertRefused(graph, registering); // no APQ registration around the list
        }
    }

    @Test
    void unlistedClientsCanBeRefusedAndAManifestCanBeAFile(@TempDir Path dir) throws Exception {
        try (InputStream manifest = getClass().getClassLoader().getResourceAsStream("META-INF/vestibule/bff/mobile/persisted-operations.json")) {
            assertThat(manifest).isNotNull();
            Files.write(dir.resolve("mobile.json"), manifest.readAllBytes());
        }
        RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), """
                persisted_queries:
                  clients:
                    mobile: mobile.json
                  client_header: x-client
                  unlisted_clients: reject
                """));
        try (FederatedGraph graph = new FederatedGraph(config)) {
            List<HttpResponse<String>> refused = new ArrayList<>();
            refused.add(post(graph, null, text(HomeQuery.DOCUMENT)));
            refused.add(post(graph, "x-client", "tv", text(HomeQuery.DOCUMENT)));
            for (HttpResponse<String> response : refused) {
                assertRefused(graph, response);
                assertThat(response.body()).contains("name yours in the x-client header");
            }
            HttpResponse<String> mobile = post(graph, "x-client", "mobile", byId(HomeQuery.ID, Map.of()));
            assertThat(mobile.statusCode()).isEqualTo(200);
            assertThat(mobile.body()).contains("\"topProducts\"");
        }
    }

    @Test
    void aClientWithoutItsModuleOnTheClassPathIsAConfigError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("router.yaml"), "persisted_queries:\n  clients:\n    tv: classpath\n");
        assertThatThrownBy(() -> RouterConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("persisted_queries.clients.tv: no META-INF/vestibule/bff/tv/persisted-operations.json on the router's class path");
        Path reject = Files.writeString(dir.resolve("reject.yaml"), "persisted_queries:\n  unlisted_clients: reject\n");
        assertThatThrownBy(() -> RouterConfig.load(reject)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("reject needs persisted_queries.clients");
    }
}
