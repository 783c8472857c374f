package dev.vestibule.router.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vestibule.router.Answers;
import dev.vestibule.router.Gateway;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.pipeline.GatewayObserver;
import dev.vestibule.router.pipeline.RequestContext;
import dev.vestibule.router.pipeline.RequestStage;
import dev.vestibule.router.subgraph.SubgraphCall;
import dev.vestibule.router.subgraph.SubgraphCallStage;
import dev.vestibule.router.subgraph.SubgraphTransport;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recorded-call execution fixtures (as Nadel's), one file per case under src/test/resources/execution: the subgraphs'
 * SDL, the client's query, the subgraph calls the router must make (subgraph, operation, variables) each with the
 * canned answer it gets (HTTP status and body), and the answer the client must get. A {@link RecordingTransport}
 * answers the calls; every call must be one of the fixture's, every fixture call must be made, and the answer must be
 * the fixture's. With {@code concurrent: n}, n identical requests run at once and each call is held until another
 * request joined it: the fixture then lists each call once, and every request gets the same answer.
 *
 * <p>Run with -Dfixtures.update=true to rewrite each fixture's calls (operation and variables, matched to the canned
 * answers by subgraph, in order) and expected answer from what the router does now; then read the diff. A fixture the
 * router still passes as it is is not rewritten.
 */
class ExecutionFixturesTest {
    private static final Path FIXTURES = Path.of("src", "test", "resources", "execution");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            // a fixture's absent keys are left out, but a null in an answer is written: nulls are what some fixtures test
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS));
    private static final String FEDERATION =
            "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\", \"@external\", \"@requires\", \"@provides\", \"@shareable\", \"@interfaceObject\"])\n";

    /** A fixture file. Unknown keys are errors, so a misspelt key cannot be silently ignored. */
    record Fixture(String description, Map<String, String> subgraphs, Boolean exposeSubgraphErrors, Integer concurrent,
                   String query, Map<String, Object> variables, List<Call> calls, Map<String, Object> response) {}

    /** One subgraph call and its canned answer: {@code answer} as JSON, or {@code body} as raw text. */
    record Call(String subgraph, String operation, Map<String, Object> variables, Integer status, Object answer, String body) {}

    /** The fixture with its calls in a stable order by subgraph (the order of one subgraph's calls kept). */
    private static JsonNode bySubgraph(JsonNode fixture) {
        if (fixture instanceof ObjectNode object && object.get("calls") instanceof ArrayNode calls) {
            List<JsonNode> sorted = new ArrayList<>();
            calls.forEach(sorted::add);
            sorted.sort(Comparator.comparing(call -> call.path("subgraph").asText()));
            object.set("calls", JSON.createArrayNode().addAll(sorted));
        }
        return fixture;
    }

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(FIXTURES)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void executionMatchesFixture(String file) throws Exception {
        Path path = FIXTURES.resolve(file);
        Fixture fixture = JSON.readValue(path.toFile(), Fixture.class);
        boolean update = Boolean.getBoolean("fixtures.update");
        int concurrent = fixture.concurrent() == null ? 1 : fixture.concurrent();
        RecordingTransport transport = new RecordingTransport(fixture.calls(), update, concurrent > 1);
        RouterSettings settings = RouterSettings.DEFAULTS.withExposeSubgraphErrors(Boolean.TRUE.equals(fixture.exposeSubgraphErrors()));
        GraphQLRequest request = new GraphQLRequest(fixture.query(), null, fixture.variables(), null);
        List<Map<String, Object>> answers = new ArrayList<>();
        try (Gateway router = new Router(supergraph(fixture), settings, transport, transport);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Map<String, Object>>> running = new ArrayList<>();
            for (int i = 0; i < concurrent; i++) running.add(clients.submit(() -> Answers.execute(router, request)));
            for (Future<Map<String, Object>> answer : running) answers.add(answer.get());
        }
        if (update) {
            Fixture updated = new Fixture(fixture.description(), fixture.subgraphs(), fixture.exposeSubgraphErrors(),
                    fixture.concurrent(), fixture.query(), fixture.variables(), transport.recorded(), answers.get(0));
            // only a fixture whose calls or answer changed is written: the others keep their own formatting (calls
            // to different subgraphs that run in parallel are recorded in either order, and matched by subgraph)
            if (!bySubgraph(JSON.readTree(Files.readString(path))).equals(bySubgraph(JSON.valueToTree(updated)))) {
                Files.writeString(path, JSON.writeValueAsString(updated) + "\n");
            }
            return;
        }
        String rerun = " (rerun with -Dfixtures.update=true to accept what the router does now, then read the diff)";
        assertThat(transport.unexpected).as("calls the fixture does not list" + rerun).isEmpty();
        assertThat(transport.unused()).as("fixture calls the router did not make" + rerun).isEmpty();
        for (Map<String, Object> answer : answers) {
            // compared as JSON trees: the order of an object's keys is not part of the answer
            JsonNode actual = JSON.valueToTree(answer);
            JsonNode expected = JSON.valueToTree(fixture.response());
            assertThat(actual).as("the answer" + rerun).isEqualTo(expected);
        }
    }

    private static Supergraph supergraph(Fixture fixture) {
        List<SubgraphSource> sources = new ArrayList<>();
        fixture.subgraphs().forEach((name, sdl) -> sources.add(new SubgraphSource(name, "http://127.0.0.1:1/" + name, FEDERATION + sdl, "fixture")));
        CompositionResult result = Composer.compose(sources);
        if (!(result instanceof CompositionResult.Composed composed)) throw new IllegalStateException("the fixture's subgraphs do not compose: " + result);
        return SupergraphLoader.load(composed.supergraphSdl());
    }

    /**
     * Answers subgraph calls from a fixture and records them. When holding (concurrent requests), each call waits until
     * a fetch of another request joined one to its subgraph (bounded: a missing join makes the test slow, then fail).
     */
    static final class RecordingTransport implements SubgraphTransport, GatewayObserver {
        private final List<Call> expected;
        private final boolean[] used;
        private final boolean update;
        private final boolean holding;
        private final List<Call> recorded = new ArrayList<>();
        final List<Call> unexpected = new ArrayList<>();
        private final Map<String, AtomicInteger> joins = new ConcurrentHashMap<>();

        RecordingTransport(List<Call> expected, boolean update, boolean holding) {
            this.expected = expected == null ? List.of() : expected;
            this.used = new boolean[this.expected.size()];
            this.update = update;
            this.holding = holding;
        }

        @Override
        public Reply send(SubgraphCall call) throws IOException {
            Map<String, Object> body = JSON.readValue(call.body(), new TypeReference<>() {});
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = body.get("variables") instanceof Map<?, ?> v ? (Map<String, Object>) v : Map.of();
            Call actual = new Call(call.subgraph(), (String) body.get("query"), variables, null, null, null);
            Call canned;
            synchronized (this) {
                canned = match(actual);
                if (canned == null) {
                    unexpected.add(actual);
                } else {
                    recorded.add(new Call(actual.subgraph(), actual.operation(), actual.variables().isEmpty() ? null : actual.variables(),
                            canned.status(), canned.answer(), canned.body()));
                }
            }
            if (holding) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!joins.containsKey(call.subgraph()) && System.nanoTime() < until) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while held for a join");
                    }
                }
            }
            if (canned == null) return new Reply(500, "no canned answer".getBytes(StandardCharsets.UTF_8));
            String text = canned.body() != null ? canned.body() : JSON.writeValueAsString(canned.answer());
            return new Reply(canned.status() == null ? 200 : canned.status(), text.getBytes(StandardCharsets.UTF_8));
        }

        /** The first unused fixture call this one is (updating: the first unused one to the same subgraph). */
        private Call match(Call actual) {
            for (int i = 0; i < expected.size(); i++) {
                Call call = expected.get(i);
                if (used[i] || !call.subgraph().equals(actual.subgraph())) continue;
                Map<String, Object> variables = call.variables() == null ? Map.of() : call.variables();
                if (update || (actual.operation().equals(call.operation()) && sameJson(actual.variables(), variables))) {
                    used[i] = true;
                    return call;
                }
            }
            return null;
        }

        private static boolean sameJson(Object a, Object b) {
            return JSON.valueToTree(a).equals(JSON.valueToTree(b));
        }

        synchronized List<Call> unused() {
            List<Call> out = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) if (!used[i]) out.add(expected.get(i));
            return out;
        }

        synchronized List<Call> recorded() {
            return List.copyOf(recorded);
        }

        @Override
        public RequestStage beginRequest(GraphQLRequest request, RequestContext context) {
            return new RequestStage() {
                @Override
                public SubgraphCallStage beginSubgraphCall(String subgraph, String operationName) {
                    return new SubgraphCallStage() {
                        @Override
                        public void joined(Join join) {
                            joins.computeIfAbsent(subgraph, s -> new AtomicInteger()).incrementAndGet();
                        }
                    };
                }
            };
        }

        @Override
        public void close() {}
    }
}
