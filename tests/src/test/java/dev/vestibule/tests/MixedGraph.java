package dev.vestibule.tests;

import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.router.subgraph.OkHttpTransport;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.samples.server.FaultSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The sample graph behind a router over real sockets, as {@link FederatedGraph}, with some subgraphs' URLs pointed
 * elsewhere (a {@link TinyHttpServer}, a closed port): the router asks those for their fields.
 */
final class MixedGraph implements AutoCloseable {
    /** HTTP/1.1: one connection per request in flight, as most clients behind a load balancer arrive. */
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    final SampleSubgraphs.Running subgraphs;
    /** The router's subgraph transport, made as the router makes it, to read its retry count. */
    final OkHttpTransport transport;
    final Router router;
    final RouterServer server;

    /** @param elsewhere subgraph name to the URL the router is to use for it */
    MixedGraph(RouterSettings settings, Map<String, String> elsewhere) throws IOException {
        this(settings, elsewhere, EdgePolicy.open());
    }

    MixedGraph(RouterSettings settings, Map<String, String> elsewhere, EdgePolicy policy) throws IOException {
        subgraphs = SampleSubgraphs.startAll(0, FaultSettings.NONE);
        String sdl = Files.readString(Path.of("..", "schemas", "supergraph.graphql"));
        for (String name : SampleSubgraphs.names()) {
            sdl = sdl.replace("http://127.0.0.1:" + SampleSubgraphs.defaultPort(name, SampleSubgraphs.DEFAULT_BASE_PORT) + "/graphql",
                    elsewhere.getOrDefault(name, subgraphs.get(name).url()));
        }
        Supergraph supergraph = SupergraphLoader.load(sdl);
        transport = new OkHttpTransport(settings.subgraphTimeout(), settings.connectionsPerSubgraph(), supergraph.subgraphs().size(),
                false, settings.subgraphIdleTimeout());
        router = new Router(supergraph, settings, transport);
        server = RouterServer.start(router, settings, policy, "127.0.0.1", 0);
    }

    String url() {
        return "http://127.0.0.1:" + server.port() + "/graphql";
    }

    HttpResponse<String> post(String jsonBody) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url())).timeout(Duration.ofSeconds(60))
                .header("content-type", "application/json").header("accept", "application/graphql-response+json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> query(String query) throws IOException, InterruptedException {
        return post(FederatedGraph.JSON.writeValueAsString(Map.of("query", query)));
    }

    @Override
    public void close() {
        server.close();
        router.close();
        subgraphs.close();
    }
}
