package dev.vestibule.router.supergraph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.composition.BigSupergraphs;
import dev.vestibule.router.composition.SubgraphSource;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.pipeline.GatewayObserver;
import dev.vestibule.router.pipeline.RequestContext;
import dev.vestibule.router.pipeline.RequestStage;
import dev.vestibule.router.pipeline.Stage;
import dev.vestibule.router.server.VestibuleServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #28: a supergraph of 400 subgraphs and 10,201 types whose entities form one chain of references 1,000 long,
 * made by the project's generator ({@link BigSupergraphs}), loads; and the router started on it as {@code ./vestibule
 * serve} starts it (a JVM of its own with {@code router/jvm.options} and no other option, no config file) answers
 * {@code { __typename }} and a query that one of its subgraphs, a real GraphQL server over HTTP, answers. Functional:
 * no time is asserted (the figures are in docs/performance.md). And a hot reload of it under load: every request is
 * answered, none plans on the request path after the swap (the new router planned the operation in use first).
 */
class BigSupergraphTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+/graphql)");
    private static final String ENTITY_QUERY = "{ entity0(id: \"7\") { id name score next { id } } }";
    private static final String ENTITY_ANSWER = EntitySubgraph.entityAnswer(0, "7");
    private static EntitySubgraph subgraph;
    private static String sdl;

    @BeforeAll
    static void composeWithTheFirstSubgraphServing() throws IOException {
        List<SubgraphSource> sources = new ArrayList<>(BigSupergraphs.sources(400, "chain"));
        subgraph = EntitySubgraph.serve(sources.getFirst().sdl());
        sources.set(0, new SubgraphSource(sources.getFirst().name(), subgraph.url(), sources.getFirst().sdl()));
        sdl = BigSupergraphs.compose(sources);
    }

    @AfterAll
    static void stopTheSubgraph() {
        if (subgraph != null) subgraph.close();
    }

    @Test
    void aChainShapedSupergraphOf400SubgraphsLoads() throws IOException {
        if (System.getProperty("big.supergraph.out") != null) Files.writeString(Path.of(System.getProperty("big.supergraph.out")), sdl);
        Supergraph supergraph = SupergraphLoader.load(sdl);
        assertThat(supergraph.subgraphs()).hasSize(400);
        assertThat(supergraph.apiSchema().getType("E999")).isNotNull();
        assertThat(supergraph.apiSchema().getAllTypesAsList()).hasSizeGreaterThan(10_201);
        // the end of the chain leads back to its start, through the real types (not the validation twins)
        assertThat(supergraph.apiSchema().getObjectType("E999").getFieldDefinition("next").getType())
                .isSameAs(supergraph.apiSchema().getType("E0"));
    }

    @Test
    void theRouterStartedOnItWithDefaultOptionsAnswers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("supergraph.graphql");
        Files.writeString(file, sdl);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process router = new ProcessBuilder(java, "@" + Path.of("jvm.options").toAbsolutePath(), "-cp", System.getProperty("java.class.path"),
                "dev.vestibule.router.cli.RouterCli", "serve", "--supergraph", file.toString(), "--port", "0")
                .redirectErrorStream(true).start();
        try {
            String url = listeningUrl(router);
            assertThat(post(url, "{ __typename }")).isEqualTo("{\"data\":{\"__typename\":\"Query\"}}");
            assertThat(post(url, ENTITY_QUERY)).isEqualTo(ENTITY_ANSWER);
        } finally {
            router.destroy();
            if (!router.waitFor(30, TimeUnit.SECONDS)) router.destroyForcibly();
        }
    }

    @Test
    void aHotReloadUnderLoadAnswersEveryRequestWithTheOperationAlreadyPlanned() throws Exception {
        AtomicInteger plannedOnTheRequestPath = new AtomicInteger();
        GatewayObserver planning = new GatewayObserver() {
            @Override
            public RequestStage beginRequest(GraphQLRequest request, RequestContext context) {
                return new RequestStage() {
                    @Override
                    public Stage beginPlan(boolean cacheHit) {
                        if (!cacheHit) plannedOnTheRequestPath.incrementAndGet();
                        return Stage.NONE;
                    }
                };
            }
        };
        try (VestibuleServer server = VestibuleServer.start(SupergraphLoader.load(sdl), RouterConfig.DEFAULTS, planning, "127.0.0.1", 0)) {
            String url = "http://127.0.0.1:" + server.port() + "/graphql";
            assertThat(post(url, ENTITY_QUERY)).isEqualTo(ENTITY_ANSWER);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            List<String> wrong = new CopyOnWriteArrayList<>();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        try {
                            String answer = post(url, ENTITY_QUERY);
                            if (answer.equals(ENTITY_ANSWER)) answered.incrementAndGet(); else wrong.add(answer);
                        } catch (Throwable e) {
                            wrong.add(e.toString());
                        }
                    }
                }));
            }
            Router before = server.router();
            Supergraph reloaded = SupergraphLoader.load(sdl); // what the reloader thread does, under the same load
            int answeredBeforeSwap = answered.get();
            server.replace(reloaded);
            Router after = server.router();
            Thread.sleep(500);
            running.set(false);
            for (Thread client : clients) client.join();

            assertThat(after).isNotSameAs(before);
            assertThat(after.supergraph()).isSameAs(reloaded);
            assertThat(wrong).isEmpty();
            assertThat(answeredBeforeSwap).isPositive();
            assertThat(answered.get()).isGreaterThan(answeredBeforeSwap);
            // planned once on the request path, by the first request: the new router had it planned before it served
            assertThat(plannedOnTheRequestPath).hasValue(1);
            assertThat(after.planCacheSize()).isEqualTo(1);
        }
    }

    @Test
    void planningAgainSkipsAnOperationTheNewSupergraphNoLongerHas() throws Exception {
        try (Router previous = new Router(SupergraphLoader.load(sdl), RouterSettings.DEFAULTS, GatewayObserver.NONE);
             Router next = new Router(SupergraphLoader.load(BigSupergraphs.compose(BigSupergraphs.sources(10, "cycle"))),
                     RouterSettings.DEFAULTS, GatewayObserver.NONE)) {
            previous.prepare(new GraphQLRequest(ENTITY_QUERY, null, null, null), null);
            previous.prepare(new GraphQLRequest("{ entity300(id: \"1\") { id } }", null, null, null), null);
            assertThat(next.planAgain(previous, 500)).isEqualTo(1); // entity0 is in both, entity300 only in the first
            assertThat(next.planCacheSize()).isEqualTo(1);
        }
    }

    /** The router's address, from the line it prints once it serves (its output is read to the end, meanwhile kept). */
    private static String listeningUrl(Process router) throws Exception {
        StringBuffer output = new StringBuffer();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(router.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.append(line).append('\n');
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) url.complete(matcher.group(1));
                }
            } catch (IOException e) {
                // the process ended: its output so far is what there is
            }
            url.complete(null);
        });
        String found = url.get(5, TimeUnit.MINUTES);
        assertThat(found).as("the router's output:\n%s", output).isNotNull();
        return found;
    }

    private static String post(String url, String query) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
