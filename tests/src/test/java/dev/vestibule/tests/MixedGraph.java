package dev.vestibule.tests;

import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.router.subgraph.OkHttpTransport;
import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.tests.testkit.GraphQLClient;
import dev.vestibule.tests.testkit.TestGraph;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sample graph behind a router over real sockets ({@link TestGraph}), with some subgraphs' URLs pointed elsewhere
 * (a {@link TinyHttpServer}, a closed port): the router asks those for their fields. Requests go over HTTP/1.1, one
 * connection per request in flight, as most clients behind a load balancer arrive.
 */
final class MixedGraph implements AutoCloseable {
    final TestGraph graph;
    final SampleSubgraphs.Running subgraphs;
    /** The router's subgraph transport, made as the router makes it, to read its retry count. */
    final OkHttpTransport transport;
    final Router router;
    final RouterServer server;
    final GraphQLClient client;

    /** @param elsewhere subgraph name to the URL the router is to use for it */
    MixedGraph(RouterSettings settings, Map<String, String> elsewhere) throws IOException {
        this(settings, elsewhere, EdgePolicy.open());
    }

    MixedGraph(RouterSettings settings, Map<String, String> elsewhere, EdgePolicy policy) throws IOException {
        AtomicReference<OkHttpTransport> made = new AtomicReference<>();
        TestGraph.Builder builder = TestGraph.builder().settings(settings).edge(policy).transport(supergraph -> {
            made.set(new OkHttpTransport(settings.subgraphTimeout(), settings.connectionsPerSubgraph(), supergraph.subgraphs().size(),
                    false, settings.subgraphIdleTimeout()));
            return made.get();
        });
        elsewhere.forEach(builder::elsewhere);
        graph = builder.start();
        transport = made.get();
        subgraphs = graph.subgraphs;
        router = graph.router;
        server = graph.server;
        client = graph.client.http11();
    }

    String url() {
        return client.url();
    }

    HttpResponse<String> post(String jsonBody) throws IOException, InterruptedException {
        return client.postRaw(jsonBody, GraphQLClient.GRAPHQL_RESPONSE);
    }

    HttpResponse<String> query(String query) throws IOException, InterruptedException {
        return post(GraphQLClient.body(query, null, null));
    }

    @Override
    public void close() {
        graph.close();
    }
}
