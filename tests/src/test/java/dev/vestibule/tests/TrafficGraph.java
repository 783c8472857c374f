package dev.vestibule.tests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.server.VestibuleServer;
import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.SubgraphServer;
import dev.vestibule.tests.testkit.GraphQLClient;
import dev.vestibule.tests.testkit.TestGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The testkit's sample graph ({@link TestGraph}) plus extra instances of some subgraphs (for pools), the router
 * started as {@code serve --config} starts it, from a YAML config written to a file. The YAML may name the subgraphs'
 * URLs as {@code ${ACCOUNTS_URL}}, {@code ${INVENTORY_URL}}, ... and the extra instances' as {@code ${INVENTORY_2_URL}}.
 */
final class TrafficGraph implements AutoCloseable {
    private final List<SubgraphServer> extra = new ArrayList<>();
    private final TestGraph graph;
    final VestibuleServer gateway;
    /** HTTP/1.1: one connection per request in flight, as the traffic tests count subgraph calls per connection. */
    private final GraphQLClient client;
    /** The config file and the values of its ${...} (the subgraphs' URLs), for tests that rewrite and reload it. */
    final Path configFile;
    final Map<String, String> environment = new HashMap<>();

    /** @param extraInstances names of subgraphs to start a second instance of (named {@code <NAME>_2_URL}) */
    TrafficGraph(Path dir, String yaml, String... extraInstances) throws IOException {
        Map<String, String> urls = environment;
        configFile = dir.resolve("router.yaml");
        try {
            for (String name : extraInstances) {
                SubgraphServer second = SampleSubgraphs.start(name, 0, FaultSettings.NONE);
                extra.add(second);
                urls.put(name.toUpperCase() + "_2_URL", second.url());
            }
            Path file = Files.writeString(configFile, yaml);
            graph = TestGraph.builder().configFor(subgraphs -> {
                for (String name : SampleSubgraphs.names()) urls.put(name.toUpperCase() + "_URL", subgraphs.get(name).url());
                return RouterConfig.load(file, urls::get);
            }).start();
        } catch (IOException | RuntimeException e) {
            extra.forEach(SubgraphServer::close);
            throw e;
        }
        gateway = graph.vestibule();
        client = graph.client.http11();
    }

    SubgraphServer subgraph(String name) {
        return graph.subgraph(name);
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
        List<String> pairs = new ArrayList<>();
        headers.forEach((name, value) -> { pairs.add(name); pairs.add(value); });
        return GraphQLClient.json(client.post(query, null, variables, "application/json", pairs.toArray(String[]::new)));
    }

    /** The config as the file says now, its ${...} resolved as at start. */
    RouterConfig reloadConfig() {
        return RouterConfig.load(configFile, environment::get);
    }

    /** /ready's body. */
    JsonNode ready() throws IOException, InterruptedException {
        return GraphQLClient.JSON.readTree(client.getPath("/ready").body());
    }

    String url(String path) {
        return client.url(path);
    }

    /** The error codes of an answer, in order. */
    static List<String> codes(JsonNode answer) {
        List<String> codes = new ArrayList<>();
        answer.path("errors").forEach(e -> codes.add(e.at("/extensions/code").asText()));
        return codes;
    }

    @Override
    public void close() {
        try {
            graph.close();
        } finally {
            extra.forEach(SubgraphServer::close);
        }
    }
}
