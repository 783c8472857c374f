package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import dev.vestibule.router.composition.SubgraphsConfig;
import dev.vestibule.router.composition.SupergraphEquivalence;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.tests.testkit.GraphQLClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Composition from running subgraphs: a config whose schemas are fetched with {@code _service { sdl }} composes to
 * the types and fields of the schema files, and a router serving it answers a query across the subgraphs.
 */
class ComposeFromRunningSubgraphsTest {

    @Test
    void composesFromServiceSdlAndServesTheResult(@TempDir Path dir) throws Exception {
        try (SampleSubgraphs.Running subgraphs = SampleSubgraphs.startAll(0, FaultSettings.NONE)) {
            StringBuilder yaml = new StringBuilder("subgraphs:\n");
            List<SubgraphSource> fromFiles = new ArrayList<>();
            for (String name : SampleSubgraphs.names()) {
                String url = subgraphs.get(name).url();
                yaml.append("  ").append(name).append(":\n    routing_url: ").append(url)
                        .append("\n    schema:\n      subgraph_url: ").append(url).append('\n');
                fromFiles.add(new SubgraphSource(name, url, Files.readString(Path.of("../schemas", name + ".graphql"))));
            }
            Path config = Files.writeString(dir.resolve("subgraphs.yaml"), yaml);

            CompositionResult fetched = Composer.compose(SubgraphsConfig.load(config));
            CompositionResult local = Composer.compose(fromFiles);
            assertThat(fetched).isInstanceOf(CompositionResult.Composed.class);
            String sdl = ((CompositionResult.Composed) fetched).supergraphSdl();
            // what the subgraphs report differs from the files only where federation-jvm prints them differently
            // (explicit resolvable: true on keys, the extended scalars' descriptions): the same types and fields
            List<String> differences = SupergraphEquivalence.differences(
                    ((CompositionResult.Composed) local).supergraphSdl(), sdl);
            assertThat(differences).allMatch(d -> d.startsWith("differs type "), "only type-level details differ");
            for (String name : SampleSubgraphs.names()) {
                assertThat(sdl).contains("@join__graph(name: \"" + name + "\", url: \"" + subgraphs.get(name).url() + "\")");
            }

            RouterSettings settings = RouterSettings.DEFAULTS;
            try (Router router = new Router(SupergraphLoader.load(sdl), settings)) {
                RouterServer server = RouterServer.start(router, settings, "127.0.0.1", 0);
                try {
                    String body = "{\"query\":\"{ topProducts(first: 1) { name inStock reviews(first: 1) { edges { node { author { username } } } } } }\"}";
                    HttpResponse<String> response = GraphQLClient.to(server.port()).postRaw(body, null);
                    JsonNode answer = FederatedGraph.JSON.readTree(response.body());
                    assertThat(answer.has("errors")).as(response.body()).isFalse();
                    assertThat(answer.at("/data/topProducts/0/name").asText()).isNotBlank();
                    assertThat(answer.at("/data/topProducts/0/inStock").isBoolean()).isTrue();
                } finally {
                    server.close();
                }
            }
        }
    }

    @Test
    void anUnreachableSubgraphIsAConfigErrorNamingIt(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("subgraphs.yaml"), """
                subgraphs:
                  gone:
                    routing_url: http://127.0.0.1:1/graphql
                    schema:
                      subgraph_url: http://127.0.0.1:1/graphql
                """);
        assertThat(Assertions.catchThrowable(() -> SubgraphsConfig.load(config)))
                .isInstanceOf(SubgraphsConfig.ConfigException.class)
                .hasMessageContaining("http://127.0.0.1:1/graphql: cannot fetch the schema with _service { sdl }");
    }
}
