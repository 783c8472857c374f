package dev.vestibule.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.http.ServerSettings;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.samples.server.SubgraphServer;
import dev.vestibule.tests.testkit.GraphQLClient;
import dev.vestibule.tests.testkit.TestGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The sample graph of the testkit ({@link TestGraph}: the sample subgraphs on free ports, a router in front of them,
 * real sockets) with a {@link CountingObserver} on the router, under the names the tests of this package have
 * always used. New tests can use {@link TestGraph} and {@link GraphQLClient} directly.
 */
final class FederatedGraph implements AutoCloseable, BeforeEachCallback, AfterAllCallback {
    static final ObjectMapper JSON = GraphQLClient.JSON;

    final TestGraph graph;
    final SampleSubgraphs.Running subgraphs;
    final Router router;
    /** What the router's requests went through (plan cache, joined fetches, reused answers). */
    final CountingObserver observed = new CountingObserver();
    final RouterServer server;
    final GraphQLClient client;

    FederatedGraph(RouterSettings settings) throws IOException {
        this(RouterConfig.DEFAULTS.withSettings(settings));
    }

    FederatedGraph(RouterSettings settings, ServerSettings server) throws IOException {
        this(RouterConfig.DEFAULTS.withSettings(settings).withServer(server));
    }

    /** The router as {@code serve --config} runs it: engine, server and edge as the config says; closed with the graph. */
    FederatedGraph(RouterConfig config) throws IOException {
        this(TestGraph.builder().config(config));
    }

    /** Behind an edge policy the caller made (and closes). */
    FederatedGraph(RouterSettings settings, EdgePolicy policy) throws IOException {
        this(TestGraph.builder().settings(settings).edge(policy));
    }

    /**
     * A graph for all the tests of a class, as {@code @RegisterExtension static final FederatedGraph graph =
     * FederatedGraph.forClass(...)}: started when the class's tests are about to run, every subgraph's request log and
     * faults cleared before each test, closed after the last one.
     */
    static FederatedGraph forClass(RouterSettings settings) {
        return forClass(settings, ServerSettings.DEFAULTS);
    }

    static FederatedGraph forClass(RouterSettings settings, ServerSettings server) {
        try {
            return new FederatedGraph(settings, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        resetLogsAndFaults();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private FederatedGraph(TestGraph.Builder builder) throws IOException {
        graph = builder.observer(observed).start();
        subgraphs = graph.subgraphs;
        router = graph.router;
        server = graph.server;
        client = graph.client;
    }

    String url() {
        return client.url();
    }

    SubgraphServer subgraph(String name) {
        return graph.subgraph(name);
    }

    void resetLogsAndFaults() {
        graph.resetLogsAndFaults();
    }

    long totalSubgraphRequests() {
        return graph.totalSubgraphRequests();
    }

    JsonNode query(String query) throws IOException, InterruptedException {
        return client.query(query);
    }

    JsonNode query(String query, Map<String, Object> variables) throws IOException, InterruptedException {
        return client.query(query, variables);
    }

    HttpResponse<String> post(String query, String operationName, Map<String, Object> variables, String accept)
            throws IOException, InterruptedException {
        return client.post(query, operationName, variables, accept);
    }

    HttpResponse<String> postRaw(String body, String accept, String... headers) throws IOException, InterruptedException {
        return client.postRaw(body, accept, headers);
    }

    HttpResponse<String> get(String queryString) throws IOException, InterruptedException {
        return client.get(queryString);
    }

    @Override
    public void close() {
        graph.close();
    }
}
