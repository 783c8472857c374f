package dev.vestibule.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.RequestError;
import dev.vestibule.router.pipeline.GatewayObserver;
import dev.vestibule.router.pipeline.RequestContext;
import dev.vestibule.router.pipeline.RequestStage;
import dev.vestibule.router.pipeline.Stage;
import dev.vestibule.router.planner.QueryPlan;
import dev.vestibule.router.subgraph.SubgraphCallStage;
import dev.vestibule.router.subgraph.SubgraphCall;
import dev.vestibule.router.subgraph.SubgraphFailure;
import dev.vestibule.router.subgraph.SubgraphTransport;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The observer sees every stage of a request, in order: a request alone (plan cache miss, a root fetch and an entity
 * fetch), two identical requests at once (plan cache hits; one joins the other's root call and entity fetch, and
 * sends the answer the other wrote), a failed subgraph call with its error, and a request rejected in preparation.
 * The subgraphs are canned answers; the two concurrent requests are made to meet by holding each call until the
 * observer has seen the other request join it.
 */
class GatewayObserverTest {
    private static final String FEDERATION = "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\"])\n";
    private static final String PRODUCTS = FEDERATION + """
            type Query { products: [Product] }
            type Product @key(fields: "id") { id: ID! name: String }
            """;
    private static final String STOCK = FEDERATION + """
            type Product @key(fields: "id") { id: ID! inStock: Boolean }
            """;
    private static final String QUERY = "{ products { name inStock } }";

    static Supergraph supergraph() {
        CompositionResult result = Composer.compose(List.of(
                new SubgraphSource("products", "http://127.0.0.1:1/products", PRODUCTS, "test"),
                new SubgraphSource("stock", "http://127.0.0.1:1/stock", STOCK, "test")));
        return SupergraphLoader.load(((CompositionResult.Composed) result).supergraphSdl());
    }

    /** Each request's events as lines, in the order they came. */
    static final class EventLog implements GatewayObserver {
        final List<List<String>> requests = Collections.synchronizedList(new ArrayList<>());
        /** Per subgraph: counted down when a fetch joins one in flight to it. */
        final Map<String, CountDownLatch> joins = new ConcurrentHashMap<>();
        /** Counted down when a request that sent the stock call (and so wrote the answer) has ended. */
        final CountDownLatch stockLeaderEnded = new CountDownLatch(1);

        @Override
        public RequestStage beginRequest(GraphQLRequest request, RequestContext context) {
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            requests.add(events);
            events.add("request");
            return new RequestStage() {
                boolean ledStock;

                Stage stage(String name) {
                    events.add(name);
                    return failure -> events.add("end " + name.split(" ")[0] + outcome(failure));
                }

                @Override
                public Stage beginPrepare() {
                    return stage("prepare");
                }

                @Override
                public Stage beginPlan(boolean cacheHit) {
                    return stage(cacheHit ? "plan hit" : "plan miss");
                }

                @Override
                public Stage beginExecute(QueryPlan plan) {
                    return stage("execute " + plan.fetchCount() + " fetches");
                }

                @Override
                public SubgraphCallStage beginSubgraphCall(String subgraph, String operationName) {
                    events.add("call " + subgraph);
                    return new SubgraphCallStage() {
                        boolean joined;

                        @Override
                        public void joined(Join join) {
                            joined = true;
                            events.add("joined " + subgraph + " " + join);
                            joins.get(subgraph).countDown();
                        }

                        @Override
                        public void entities(int representations) {
                            events.add("entities " + subgraph + " " + representations);
                        }

                        @Override
                        public void answered(int status) {
                            if (subgraph.equals("stock")) ledStock = true;
                            events.add("answered " + subgraph + " " + status);
                        }

                        @Override
                        public void end(Throwable failure) {
                            if (joined && subgraph.equals("stock")) {
                                // the request that joined writes after the one that led has kept its answer
                                await(stockLeaderEnded);
                            }
                            events.add("end call " + subgraph + outcome(failure));
                        }
                    };
                }

                @Override
                public Stage beginWrite(boolean reusedAnswer) {
                    return stage(reusedAnswer ? "write reused" : "write");
                }

                @Override
                public void error(Map<String, Object> error) {
                    events.add("error " + ((Map<?, ?>) error.get("extensions")).get("code") + " at " + error.get("path"));
                }

                @Override
                public void end(Throwable failure) {
                    events.add("end request" + outcome(failure));
                    if (ledStock) stockLeaderEnded.countDown();
                }
            };
        }

        private static String outcome(Throwable failure) {
            return switch (failure) {
                case null -> "";
                case SubgraphFailure f -> ": " + f.code();
                default -> ": " + failure.getClass().getSimpleName();
            };
        }
    }

    /** Canned answers by subgraph; while {@code holding}, each call waits until a fetch has joined it. */
    static final class Canned implements SubgraphTransport {
        final EventLog log;
        volatile boolean holding;
        volatile boolean stockFails;

        Canned(EventLog log) {
            this.log = log;
        }

        @Override
        public Reply send(SubgraphCall call) {
            String subgraph = call.subgraph();
            if (holding) await(log.joins.get(subgraph));
            if (subgraph.equals("products")) {
                return reply(200, "{\"data\":{\"products\":[{\"__typename\":\"Product\",\"id\":\"1\",\"name\":\"a\"},"
                        + "{\"__typename\":\"Product\",\"id\":\"2\",\"name\":\"b\"}]}}");
            }
            return stockFails ? reply(500, "{}") : reply(200, "{\"data\":{\"_entities\":[{\"inStock\":true},{\"inStock\":false}]}}");
        }

        private static Reply reply(int status, String body) {
            return new Reply(status, body.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {}
    }

    private static void await(CountDownLatch latch) {
        try {
            // generous: on time, nothing waits this long; a broken join only makes the test slow before it fails
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void everyStageIsObservedInOrder() throws Exception {
        EventLog log = new EventLog();
        log.joins.put("products", new CountDownLatch(1));
        log.joins.put("stock", new CountDownLatch(1));
        Canned subgraphs = new Canned(log);
        GraphQLRequest request = new GraphQLRequest(QUERY, null, null, null);
        try (Gateway router = new Router(supergraph(), RouterSettings.DEFAULTS, subgraphs, log);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Answers.execute(router, request);
            assertThat(log.requests.get(0)).containsExactly(
                    "request", "prepare", "end prepare", "plan miss", "end plan", "execute 2 fetches",
                    "call products", "answered products 200", "end call products",
                    "call stock", "answered stock 200", "entities stock 2", "end call stock",
                    "end execute", "write", "end write", "end request");

            subgraphs.holding = true;
            List<Future<Map<String, Object>>> answers = List.of(
                    clients.submit(() -> Answers.execute(router, request)), clients.submit(() -> Answers.execute(router, request)));
            assertThat(answers.get(0).get()).isEqualTo(answers.get(1).get());
            subgraphs.holding = false;
            List<List<String>> concurrent = List.of(log.requests.get(1), log.requests.get(2));
            // one request sent each call and the other joined it; the one that joined the entity fetch sent the other's answer
            assertThat(concurrent).filteredOn(events -> events.contains("joined products HTTP_CALL")).hasSize(1);
            assertThat(concurrent).filteredOn(events -> events.contains("joined stock ENTITY_FETCH")).hasSize(1);
            // an answer is reused only once it has been written by the other request
            assertThat(concurrent).filteredOn(events -> events.contains("write")).isNotEmpty();
            for (List<String> events : concurrent) {
                boolean joinedProducts = events.contains("joined products HTTP_CALL");
                boolean joinedStock = events.contains("joined stock ENTITY_FETCH");
                List<String> expected = new ArrayList<>(List.of("request", "prepare", "end prepare", "plan hit", "end plan",
                        "execute 2 fetches", "call products"));
                expected.add(joinedProducts ? "joined products HTTP_CALL" : "answered products 200");
                expected.addAll(List.of("end call products", "call stock"));
                expected.addAll(joinedStock ? List.of("joined stock ENTITY_FETCH", "entities stock 2")
                        : List.of("answered stock 200", "entities stock 2"));
                expected.addAll(List.of("end call stock", "end execute"));
                // the two requests have the same answer: whichever reaches the write second may reuse what the first
                // wrote (usually the joiner of the entity fetch, but the joiner can be first); together, each writes its own
                String write = events.contains("write reused") ? "write reused" : "write";
                expected.addAll(List.of(write, "end write", "end request"));
                assertThat(events).as("joined products: %s, joined stock: %s", joinedProducts, joinedStock)
                        .containsExactlyElementsOf(expected);
            }

            subgraphs.stockFails = true;
            Answers.execute(router, request);
            assertThat(log.requests.get(3)).containsExactly(
                    "request", "prepare", "end prepare", "plan hit", "end plan", "execute 2 fetches",
                    "call products", "answered products 200", "end call products",
                    "call stock", "answered stock 500", "entities stock 2", "end call stock: SUBGRAPH_HTTP_ERROR",
                    "end execute", "write", "end write",
                    "error SUBGRAPH_HTTP_ERROR at [products, 0, inStock]", "end request");

            assertThatThrownBy(() -> router.execute(new GraphQLRequest("{ products { price } }", null, null, null),
                    Answers.anonymous())).isInstanceOf(RequestError.class);
            assertThat(log.requests.get(4)).containsExactly(
                    "request", "prepare", "end prepare: RequestError", "end request: RequestError");
        }
    }

    @Test
    void anOperationThatCannotBePlannedIsRememberedAsSuch() throws Exception {
        // Node.field is reachable from no fetch (UnreachableFieldTest): the planner walks every route before it gives
        // up, which a repeated request must not pay again
        Supergraph unplannable = SupergraphLoader.load(TestSupergraphs.read(
                Path.of("src", "test", "resources", "supergraphs", "non-resolvable-interface-object.graphql")));
        EventLog log = new EventLog();
        GraphQLRequest request = new GraphQLRequest("{ a { field } }", null, null, null);
        try (Gateway router = new Router(unplannable, RouterSettings.DEFAULTS, new Canned(log), log)) {
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> router.execute(request, Answers.anonymous()))
                        .isInstanceOf(RequestError.class).hasMessageContaining("cannot plan Node.field");
            }
            assertThat(log.requests.get(0)).containsExactly(
                    "request", "prepare", "end prepare", "plan miss", "end plan: RequestError", "end request: RequestError");
            assertThat(log.requests.get(1)).containsExactly(
                    "request", "prepare", "end prepare", "plan hit", "end plan: RequestError", "end request: RequestError");
        }
    }

    @Test
    void withNoObserverNothingIsAskedOfIt() {
        // the default: the constants that observe nothing
        assertThat(GatewayObserver.NONE.beginRequest(null, null)).isSameAs(RequestStage.NONE);
        assertThat(RequestStage.NONE.beginSubgraphCall("s", "o")).isSameAs(SubgraphCallStage.NONE);
        assertThat(RequestStage.NONE.beginPlan(true)).isSameAs(Stage.NONE);
    }
}
