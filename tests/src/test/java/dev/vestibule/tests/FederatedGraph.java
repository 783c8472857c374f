package dev.vestibule.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.http.ServerSettings;
import dev.vestibule.router.middleware.EdgePolicy;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample subgraphs on free ports and a router in front of them on schemas/supergraph.graphql (its subgraph URLs
 * pointed at those ports), all over real sockets. Tests talk HTTP to the router and read the subgraphs' request logs.
 */
final class FederatedGraph implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final SampleSubgraphs.Running subgraphs;
    final Router router;
    /** What the router's requests went through (plan cache, joined fetches, reused answers). */
    final CountingObserver observed = new CountingObserver();
    final RouterServer server;
    /** The gateway when the graph was made from a config (it owns the edge policy it makes); null otherwise. */
    private final VestibuleServer gateway;

    FederatedGraph(RouterSettings settings) throws IOException {
        this(RouterConfig.DEFAULTS.withSettings(settings));
    }

    FederatedGraph(RouterSettings settings, ServerSettings server) throws IOException {
        this(RouterConfig.DEFAULTS.withSettings(settings).withServer(server));
    }

    /** The router as {@code serve --config} runs it: engine, server and edge as the config says; closed with the graph. */
    FederatedGraph(RouterConfig config) throws IOException {
        subgraphs = SampleSubgraphs.startAll(0, FaultSettings.NONE);
        try {
            // no BFF module, not even those on the test class path (bff-mobile, bff-web): these tests are about
            // GraphQL, and mounted modules would plan their operations at start (ClientModulesTest mounts them)
            gateway = VestibuleServer.start(SupergraphLoader.load(supergraphSdl(subgraphs)), config, observed,
                    RouterServer.listen("127.0.0.1", 0), List.of());
        } catch (RuntimeException e) {
            subgraphs.close();
            throw e;
        }
        router = gateway.router();
        server = gateway.httpServer();
    }

    /** Behind an edge policy the caller made (and closes). */
    FederatedGraph(RouterSettings settings, EdgePolicy policy) throws IOException {
        subgraphs = SampleSubgraphs.startAll(0, FaultSettings.NONE);
        router = new Router(SupergraphLoader.load(supergraphSdl(subgraphs)), settings, observed);
        server = RouterServer.start(router, settings, policy, "127.0.0.1", 0);
        gateway = null;
    }

    /** schemas/supergraph.graphql with its subgraph URLs pointed at the running samples. */
    private static String supergraphSdl(SampleSubgraphs.Running subgraphs) throws IOException {
        String sdl = Files.readString(Path.of("..", "schemas", "supergraph.graphql"));
        for (String name : SampleSubgraphs.names()) {
            sdl = sdl.replace("http://127.0.0.1:" + SampleSubgraphs.defaultPort(name, SampleSubgraphs.DEFAULT_BASE_PORT) + "/graphql",
                    subgraphs.get(name).url());
        }
        return sdl;
    }

    String url() {
        return "http://127.0.0.1:" + server.port() + "/graphql";
    }

    SubgraphServer subgraph(String name) {
        return subgraphs.get(name);
    }

    void resetLogsAndFaults() {
        subgraphs.servers().forEach(s -> {
            s.requestLog().clear();
            s.setFaults(FaultSettings.NONE);
        });
    }

    long totalSubgraphRequests() {
        return subgraphs.servers().stream().mapToLong(s -> s.requestLog().totalCount()).sum();
    }

    JsonNode query(String query) throws IOException, InterruptedException {
        return query(query, Map.of());
    }

    JsonNode query(String query, Map<String, Object> variables) throws IOException, InterruptedException {
        HttpResponse<String> response = post(query, null, variables, "application/json");
        if (response.statusCode() != 200) throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
        return JSON.readTree(response.body());
    }

    HttpResponse<String> post(String query, String operationName, Map<String, Object> variables, String accept)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        if (operationName != null) body.put("operationName", operationName);
        if (variables != null) body.put("variables", variables);
        return postRaw(JSON.writeValueAsString(body), accept);
    }

    HttpResponse<String> postRaw(String body, String accept, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url())).timeout(Duration.ofSeconds(60))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (accept != null) request.header("accept", accept);
        if (headers.length > 0) request.headers(headers);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String queryString) throws IOException, InterruptedException {
        // GET is a "simple" request: CSRF prevention wants a preflight-forcing header, as a real client sends
        return HTTP.send(HttpRequest.newBuilder(URI.create(url() + "?" + queryString)).header("apollo-require-preflight", "true").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
        } else {
            server.close();
            router.close();
        }
        subgraphs.close();
    }
}
