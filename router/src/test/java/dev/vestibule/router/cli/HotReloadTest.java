package dev.vestibule.router.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.server.VestibuleServer;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --subgraphs ... --hot-reload true}: a changed subgraph schema is recomposed and served without a
 * restart; a broken one is reported and the previous supergraph keeps serving. Over HTTP, with introspection (no
 * subgraph needs to run for it).
 */
class HotReloadTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PRODUCT_FIELDS = "{ __type(name: \"Product\") { fields { name } } }";

    @Test
    void aChangedSubgraphIsServedAndABrokenOneIsNot(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"accounts", "products", "inventory", "reviews", "media", "subgraphs"}) {
            String file = name + (name.equals("subgraphs") ? ".yaml" : ".graphql");
            Files.copy(Path.of("../schemas", file), dir.resolve(file));
        }
        Path config = dir.resolve("subgraphs.yaml");
        var err = new ByteArrayOutputStream();
        var out = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        var composed = (CompositionResult.Composed) Composer.compose(ComposeCommand.sources(config.toString(), List.of()));
        RouterConfig routerConfig = RouterConfig.DEFAULTS.withSettings(RouterSettings.DEFAULTS.withRequestTimeout(Duration.ofSeconds(2)));
        try (VestibuleServer server = VestibuleServer.start(SupergraphLoader.load(composed.supergraphSdl()), routerConfig, "127.0.0.1", 0)) {
            RouterCli.hotReload(server, config.toString(), true, new PrintStream(out, true, StandardCharsets.UTF_8), errStream);
            assertThat(query(server, PRODUCT_FIELDS)).contains("\"name\":\"upc\"").doesNotContain("releaseYear");

            Path products = dir.resolve("products.graphql");
            String original = Files.readString(products);
            Files.writeString(products, original + "\ntype Broken {");
            waitFor(() -> err.toString(StandardCharsets.UTF_8), "still serving the previous supergraph");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("INVALID_GRAPHQL").contains("[products]");
            assertThat(query(server, PRODUCT_FIELDS)).contains("\"name\":\"upc\"");

            Router first = server.router();
            Files.writeString(products, original.replaceFirst("type Product (.*)\\{", "type Product $1{\n  releaseYear: Int"));
            waitFor(() -> out.toString(StandardCharsets.UTF_8), "reloaded the supergraph");
            assertThat(query(server, PRODUCT_FIELDS)).contains("releaseYear");
            assertThat(server.router()).isNotSameAs(first);
        }
    }

    private static String query(VestibuleServer server, String query) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/graphql"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":" + new ObjectMapper().writeValueAsString(query) + "}"))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static void waitFor(Supplier<String> text, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!text.get().contains(expected) && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(text.get()).contains(expected);
    }
}
