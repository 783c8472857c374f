package dev.vestibule.tests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.pipeline.GatewayObserver;
import dev.vestibule.router.server.VestibuleServer;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.SubgraphServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample subgraphs on free ports (and extra instances of some, for pools), and a router in front of them started
 * as {@code serve --config} starts it, from a YAML config written to a file. The YAML may name the subgraphs' URLs as
 * {@code ${ACCOUNTS_URL}}, {@code ${INVENTORY_URL}}, ... and the extra instances' as {@code ${INVENTORY_2_URL}}.
 */
final class TrafficGraph implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    final SampleSubgraphs.Running subgraphs;
    private final List<SubgraphServer> extra = new ArrayList<>();
    final VestibuleServer gateway;
    /** The config file and the values of its ${...} (the subgraphs' URLs), for tests that rewrite and reload it. */
    final Path configFile;
    final Map<String, String> environment = new HashMap<>();

    /** @param extraInstances names of subgraphs to start a second instance of (named {@code <NAME>_2_URL}) */
    TrafficGraph(Path dir, String yaml, String... extraInstances) throws IOException {
        subgraphs = SampleSubgraphs.startAll(0, FaultSettings.NONE);
        configFile = dir.resolve("router.yaml");
        try {
            Map<String, String> urls = environment;
            for (String name : SampleSubgraphs.names()) urls.put(name.toUpperCase() + "_URL", subgraphs.get(name).url());
            for (String name : extraInstances) {
                SubgraphServer second = SampleSubgraphs.start(name, 0, FaultSettings.NONE);
                extra.add(second);
                urls.put(name.toUpperCase() + "_2_URL", second.url());
            }
            Files.writeString(configFile, yaml);
            RouterConfig config = RouterConfig.load(configFile, urls::get);
            String sdl = Files.readString(Path.of("..", "schemas", "supergraph.graphql"));
            for (String name : SampleSubgraphs.names()) {
                sdl = sdl.replace("http://127.0.0.1:" + SampleSubgraphs.defaultPort(name, SampleSubgraphs.DEFAULT_BASE_PORT) + "/graphql",
                        subgraphs.get(name).url());
            }
            // no BFF module, not even those on the test class path (bff-mobile, bff-web), as in FederatedGraph
            gateway = VestibuleServer.start(SupergraphLoader.load(sdl), config, GatewayObserver.NONE, RouterServer.listen("127.0.0.1", 0), List.of());
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    SubgraphServer subgraph(String name) {
        return subgraphs.get(name);
    }

    /** The second instance of {@code name} (started when the graph was made). */
    SubgraphServer second(String name) {
        return extra.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** Asks the router; the answer must be HTTP 200 (a GraphQL answer, with or without errors). */
    JsonNode query(String query) throws IOException, InterruptedException {
        return query(query, Map.of());
    }

    JsonNode query(String query, Map<String, Object> variables) throws IOException, InterruptedException {
        return query(query, variables, Map.of());
    }

    /** Asks the router with these request headers. */
    JsonNode query(String query, Map<String, Object> variables, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/graphql"))).timeout(Duration.ofSeconds(60));
        headers.forEach(request::header);
        HttpResponse<String> response = HTTP.send(request
                .header("content-type", "application/json").header("accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(FederatedGraph.JSON.writeValueAsString(Map.of("query", query,
                        "variables", variables)))).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
        return FederatedGraph.JSON.readTree(response.body());
    }

    /** The config as the file says now, its ${...} resolved as at start. */
    RouterConfig reloadConfig() {
        return RouterConfig.load(configFile, environment::get);
    }

    /** /ready's body. */
    JsonNode ready() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url("/ready"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return FederatedGraph.JSON.readTree(response.body());
    }

    String url(String path) {
        return "http://127.0.0.1:" + gateway.port() + path;
    }

    /** The error codes of an answer, in order. */
    static List<String> codes(JsonNode answer) {
        List<String> codes = new ArrayList<>();
        answer.path("errors").forEach(e -> codes.add(e.at("/extensions/code").asText()));
        return codes;
    }

    @Override
    public void close() {
        if (gateway != null) gateway.close();
        extra.forEach(SubgraphServer::close);
        subgraphs.close();
    }
}
