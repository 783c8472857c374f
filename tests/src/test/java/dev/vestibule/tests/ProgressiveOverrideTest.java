package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.pipeline.GatewayObserver;
import dev.vestibule.router.server.VestibuleServer;
import dev.vestibule.router.subgraph.traffic.Cohort;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.SupergraphLoader;
import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27: progressive {@code @override} labels resolved per request, over real sockets. Two small subgraphs (old and
 * new, each a graphql-java server that answers every field with its own name) compose into a supergraph where four
 * Query fields move from old to new under the labels percent(50), percent(0), percent(100) and beta. percent(50)
 * splits the callers about half and half, each exactly as the sticky hash says and the same on every call; the
 * extremes never and always move; beta moves only for a caller whose header enables it, or for everyone when the
 * config lists it. Plans are cached per set of active labels.
 */
class ProgressiveOverrideTest {
    private static final String OLD = """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@shareable"])
            type Query {
              half: String!
              never: String!
              always: String!
              beta: String!
              name: String! @shareable
            }
            """;
    private static final String NEW = """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@override", "@shareable"])
            type Query {
              half: String! @override(from: "old", label: "percent(50)")
              never: String! @override(from: "old", label: "percent(0)")
              always: String! @override(from: "old", label: "percent(100)")
              beta: String! @override(from: "old", label: "beta")
              name: String! @shareable
            }
            """;
    private static final String QUERY = "{ half never always beta }";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** How long the subgraphs take to answer. */
    private static volatile long delayMillis;

    @Test
    void labelsMoveFieldsPerCallerStickyAndPlansAreCachedPerLabelSet(@TempDir Path dir) throws Exception {
        AtomicInteger toOld = new AtomicInteger();
        AtomicInteger toNew = new AtomicInteger();
        HttpServer old = subgraph("old", OLD, toOld);
        HttpServer fresh = subgraph("new", NEW, toNew);
        try {
            CompositionResult composed = Composer.compose(List.of(new SubgraphSource("old", url(old), OLD),
                    new SubgraphSource("new", url(fresh), NEW)));
            assertThat(composed).as(composed.toString()).isInstanceOf(CompositionResult.Composed.class);
            String sdl = ((CompositionResult.Composed) composed).supergraphSdl();
            assertThat(sdl).contains("overrideLabel: \"percent(50)\"");
            Supergraph supergraph = SupergraphLoader.load(sdl);
            assertThat(supergraph.overrideLabels()).containsExactly("beta", "percent(0)", "percent(100)", "percent(50)");

            try (VestibuleServer router = start(supergraph, dir, "")) {
                int callers = 400;
                int moved = 0;
                for (int i = 0; i < callers; i++) {
                    String caller = "user-" + i;
                    boolean expected = Cohort.place(caller, "override:percent(50)") < 50;
                    JsonNode data = ask(router, caller, null).path("data");
                    assertThat(data.path("half").asText()).as(caller).isEqualTo(expected ? "new" : "old");
                    assertThat(data.path("never").asText()).isEqualTo("old");
                    assertThat(data.path("always").asText()).isEqualTo("new");
                    assertThat(data.path("beta").asText()).isEqualTo("old");
                    if (expected) moved++;
                }
                System.out.printf("percent(50): %d of %d callers served by the new subgraph%n", moved, callers);
                assertThat(moved).isBetween(160, 240);
                // sticky: the same callers again get the same side
                for (int i = 0; i < 30; i++) {
                    String caller = "user-" + i;
                    boolean expected = Cohort.place(caller, "override:percent(50)") < 50;
                    assertThat(ask(router, caller, null).at("/data/half").asText()).isEqualTo(expected ? "new" : "old");
                }
                // one plan per set of active labels: {percent(100)} and {percent(100), percent(50)}
                assertThat(router.router().planCacheSize()).isEqualTo(2);

                // a caller enables beta with the header: only its requests move the field
                assertThat(ask(router, "user-1", "beta").at("/data/beta").asText()).isEqualTo("new");
                assertThat(ask(router, "user-1", "something-else").at("/data/beta").asText()).isEqualTo("old");
                assertThat(ask(router, "user-1", null).at("/data/beta").asText()).isEqualTo("old");
                assertThat(router.router().planCacheSize()).isEqualTo(3);
            }

            // beta enabled for everyone by the config
            try (VestibuleServer router = start(supergraph, dir, "    override_labels: [beta]\n")) {
                for (int i = 0; i < 20; i++) assertThat(ask(router, "user-" + i, null).at("/data/beta").asText()).isEqualTo("new");
            }

            // beta on for 30 % of the callers by the config (no subgraph publish), sticky by the same hash
            try (VestibuleServer router = start(supergraph, dir, "    override_percent: { beta: 30 }\n")) {
                int on = 0;
                for (int i = 0; i < 200; i++) {
                    boolean expected = Cohort.place("user-" + i, "override:beta") < 30;
                    assertThat(ask(router, "user-" + i, null).at("/data/beta").asText()).as("user-" + i).isEqualTo(expected ? "new" : "old");
                    if (expected) on++;
                }
                System.out.printf("override_percent beta 30: %d of 200 callers%n", on);
                assertThat(on).isBetween(40, 80);
            }

            // inbound de-duplication never lets requests with different active labels share an answer: two identical
            // queries in flight together (slow subgraphs), one enabling beta, each get their own
            delayMillis = 500;
            try (VestibuleServer router = start(supergraph, dir, "router:\n  deduplication: { inbound_queries: true }\n")) {
                ask(router, "user-1", null); // planned once, before the race
                CompletableFuture<JsonNode> withBeta = CompletableFuture.supplyAsync(() -> askUnchecked(router, "user-1", "beta"));
                CompletableFuture<JsonNode> without = CompletableFuture.supplyAsync(() -> askUnchecked(router, "user-1", null));
                assertThat(withBeta.get().at("/data/beta").asText()).isEqualTo("new");
                assertThat(without.get().at("/data/beta").asText()).isEqualTo("old");
            }
        } finally {
            old.stop(0);
            fresh.stop(0);
        }
    }

    private static VestibuleServer start(Supergraph supergraph, Path dir, String extra) throws IOException {
        Path file = dir.resolve("router.yaml");
        Files.writeString(file, (extra.startsWith("router:") ? extra : "") + """
                traffic_shaping:
                  callers:
                    sticky_header: x-user-id
                    labels_header: x-vestibule-labels
                """ + (extra.startsWith("router:") ? "" : extra));
        return VestibuleServer.start(supergraph, RouterConfig.load(file, name -> null), GatewayObserver.NONE,
                RouterServer.listen("127.0.0.1", 0), List.of());
    }

    private static JsonNode askUnchecked(VestibuleServer router, String caller, String labels) {
        try {
            return ask(router, caller, labels);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode ask(VestibuleServer router, String caller, String labels) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.port() + "/graphql"))
                .header("content-type", "application/json").header("x-user-id", caller);
        if (labels != null) request.header("x-vestibule-labels", labels);
        HttpResponse<String> response = HTTP.send(request.POST(HttpRequest.BodyPublishers.ofString(
                FederatedGraph.JSON.writeValueAsString(Map.of("query", QUERY)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = FederatedGraph.JSON.readTree(response.body());
        assertThat(answer.has("errors")).as(answer.toString()).isFalse();
        return answer;
    }

    /** A subgraph that answers every String field of Query with its own name, over HTTP on a free port. */
    private static HttpServer subgraph(String name, String sdl, AtomicInteger calls) throws IOException {
        String executable = sdl.replaceAll("(?s)extend schema.*?\\)\\s*\\n", "").replaceAll("@\\w+\\((?:[^()\"]|\"[^\"]*\")*\\)|@shareable", "");
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring();
        wiring.type("Query", type -> type.defaultDataFetcher(env -> name));
        GraphQL graphql = GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(executable), wiring.build()))
                .build();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/graphql", exchange -> {
            calls.incrementAndGet();
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            JsonNode body = FederatedGraph.JSON.readTree(exchange.getRequestBody());
            Map<String, Object> variables = body.has("variables") && body.get("variables").isObject()
                    ? FederatedGraph.JSON.convertValue(body.get("variables"), Map.class) : Map.of();
            Map<String, Object> result = graphql.execute(ExecutionInput.newExecutionInput(body.path("query").asText())
                    .variables(variables).build()).toSpecification();
            byte[] out = FederatedGraph.JSON.writeValueAsBytes(result);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/graphql";
    }
}
