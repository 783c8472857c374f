package dev.vestibule.tests.bff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.bff.BffModule;
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
import java.util.List;

/**
 * The sample subgraphs on free ports and a gateway in front of them (schemas/supergraph.graphql pointed at them) with
 * the given BFF modules mounted, over real sockets; HTTP helpers for the BFF routes.
 */
final class BffGraph implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final SampleSubgraphs.Running subgraphs;
    final VestibuleServer gateway;

    BffGraph(RouterConfig config, List<BffModule> modules) throws IOException {
        subgraphs = SampleSubgraphs.startAll(0, FaultSettings.NONE);
        try {
            gateway = VestibuleServer.start(SupergraphLoader.load(supergraphSdl(subgraphs)), config, GatewayObserver.NONE,
                    RouterServer.listen("127.0.0.1", 0), modules);
        } catch (RuntimeException e) {
            subgraphs.close();
            throw e;
        }
    }

    /** schemas/supergraph.graphql with its subgraph URLs pointed at the running samples. */
    static String supergraphSdl(SampleSubgraphs.Running subgraphs) throws IOException {
        String sdl = Files.readString(Path.of("..", "schemas", "supergraph.graphql"));
        for (String name : SampleSubgraphs.names()) {
            sdl = sdl.replace("http://127.0.0.1:" + SampleSubgraphs.defaultPort(name, SampleSubgraphs.DEFAULT_BASE_PORT) + "/graphql",
                    subgraphs.get(name).url());
        }
        return sdl;
    }

    String base() {
        return "http://127.0.0.1:" + gateway.port();
    }

    SubgraphServer subgraph(String name) {
        return subgraphs.get(name);
    }

    void healAll() {
        subgraphs.servers().forEach(s -> s.setFaults(FaultSettings.NONE));
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60)).GET();
        if (headers.length > 0) request.headers(headers);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) request.headers(headers);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> graphql(String query, String... headers) throws IOException, InterruptedException {
        return post("/graphql", JSON.writeValueAsString(java.util.Map.of("query", query)), headers);
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        gateway.close();
        subgraphs.close();
    }
}
