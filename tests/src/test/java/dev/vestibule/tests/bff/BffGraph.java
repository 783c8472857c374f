package dev.vestibule.tests.bff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.bff.BffModule;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.server.VestibuleServer;
import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.SubgraphServer;
import dev.vestibule.tests.testkit.GraphQLClient;
import dev.vestibule.tests.testkit.TestGraph;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * The testkit's sample graph ({@link TestGraph}) with the given BFF modules mounted, over real sockets; the BFF
 * routes' HTTP calls under the names the BFF tests use.
 */
final class BffGraph implements AutoCloseable {
    static final ObjectMapper JSON = GraphQLClient.JSON;

    private final TestGraph graph;
    final SampleSubgraphs.Running subgraphs;
    final VestibuleServer gateway;

    BffGraph(RouterConfig config, List<BffModule> modules) {
        graph = TestGraph.builder().config(config).bff(modules).start();
        subgraphs = graph.subgraphs;
        gateway = graph.vestibule();
    }

    /** schemas/supergraph.graphql with its subgraph URLs pointed at the running samples. */
    static String supergraphSdl(SampleSubgraphs.Running subgraphs) {
        return TestGraph.supergraphSdl(subgraphs.urls()::get);
    }

    /** The router's origin (http://127.0.0.1:PORT), for tests that call it with their own client. */
    String base() {
        return graph.client.url("");
    }

    SubgraphServer subgraph(String name) {
        return graph.subgraph(name);
    }

    void healAll() {
        subgraphs.servers().forEach(s -> s.setFaults(FaultSettings.NONE));
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return graph.client.getPath(path, headers);
    }

    HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        return graph.client.postPath(path, body, headers);
    }

    HttpResponse<String> graphql(String query, String... headers) throws IOException, InterruptedException {
        return post("/graphql", GraphQLClient.body(query, null, null), headers);
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        graph.close();
    }
}
