package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.operation.Caller;
import dev.vestibule.router.operation.GraphQLRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 #8: a hung subgraph costs each request at most its subgraph timeout, never a wait in a queue behind other
 * requests' hung calls. Inventory is a server that accepts and never answers; 250 clients ask at once for products
 * with their inventory-owned margin and for the signed-in user. Every answer must come within the timeout and a
 * generous margin ({@link #BOUND}), with a timeout error at the margin's path and the other subgraphs' data; the
 * router itself, asked directly, must end every execution before a call queued behind a hung one could.
 */
class HungSubgraphTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /**
     * Generous, for a busy shared machine: while the HTTP server runs at most 200 tasks at once (its thread pool's
     * default cap, removed by another item of issue 21), the 50 requests over it wait one timeout in its queue before
     * they start theirs, and scheduling delays on a loaded machine add a second or more (measured: 4.2-6.1 s at a load
     * average of 15-20 on 2 cores). Without that cap an answer takes about the timeout. The sharp check of this code's
     * own behaviour is {@link #theRouterHoldsNoCallBehindAHungOne}.
     */
    private static final Duration BOUND = TIMEOUT.multipliedBy(3).plusMillis(1_500);
    private static final int CLIENTS = 250;

    @Test
    void identicalRequestsEachWaitAtMostTheSubgraphTimeout() throws Exception {
        // identical requests in flight together share one call to the hung subgraph (de-duplication, the default)
        storm("identical requests", i -> "margin");
    }

    @Test
    void distinctCallsToAHungSubgraphDoNotQueueBehindEachOther() throws Exception {
        // an alias of its own makes each request's inventory call its own: 250 calls to the hung subgraph at once, each
        // on a connection of its own (the calls to the healthy subgraphs are still shared, which keeps their load low)
        storm("250 distinct calls to the hung subgraph", i -> "m" + i);
    }

    /**
     * The same 250 distinct calls, asked of the router directly (no HTTP server in front, whose own thread limits are
     * not this test's subject): a call that waited for a slot behind a hung one would take at least two timeouts,
     * so every execution must end before that.
     */
    @Test
    void theRouterHoldsNoCallBehindAHungOne() throws Exception {
        // 3 s rather than 2: what separates waiting once from waiting in a queue is the timeout itself, and a busy
        // machine's scheduling delays must stay well inside it
        Duration timeout = Duration.ofSeconds(3);
        try (TinyHttpServer hung = new TinyHttpServer(new TinyHttpServer.Behaviour.Hang());
             MixedGraph graph = new MixedGraph(RouterSettings.DEFAULTS.withSubgraphTimeout(timeout), Map.of("inventory", hung.url()));
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> warmUp = new ArrayList<>();
            GraphQLRequest healthy = new GraphQLRequest("{ me { username } topProducts(first: 2) { name } }", null, null, null);
            for (int i = 0; i < 200; i++) warmUp.add(callers.submit(() -> Answers.execute(graph.router, healthy)));
            for (Future<?> done : warmUp) done.get();
            List<GraphQLRequest> requests = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                GraphQLRequest request = new GraphQLRequest(query("m" + i), null, null, null);
                graph.router.prepare(request, Caller.ANONYMOUS); // planned beforehand: what is measured is waiting, not planning
                requests.add(request);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> executions = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                GraphQLRequest request = requests.get(i);
                String margin = "m" + i;
                executions.add(callers.submit(() -> {
                    go.await();
                    long start = System.nanoTime();
                    Map<String, Object> answer = Answers.execute(graph.router, request);
                    long took = System.nanoTime() - start;
                    JsonNode json = FederatedGraph.JSON.valueToTree(answer);
                    assertThat(json.at("/data/me/username").isTextual()).as(json.toString()).isTrue();
                    assertThat(json.at("/errors/0/extensions/code").asText()).as(json.toString()).isEqualTo("SUBGRAPH_TIMEOUT");
                    assertThat(json.at("/errors/0/path").toString()).isEqualTo("[\"topProducts\",0,\"" + margin + "\"]");
                    return took;
                }));
            }
            go.countDown();
            List<Long> latencies = new ArrayList<>();
            for (Future<Long> execution : executions) latencies.add(execution.get());
            latencies.sort(null);
            System.out.printf("hung subgraph, %d executions in the router at once, subgraph timeout %d ms: min %d ms, "
                            + "median %d ms, max %d ms%n", CLIENTS, timeout.toMillis(), latencies.getFirst() / 1_000_000,
                    latencies.get(CLIENTS / 2) / 1_000_000, latencies.getLast() / 1_000_000);
            assertThat(Duration.ofNanos(latencies.getLast())).as("the slowest execution").isLessThan(timeout.multipliedBy(2));
        }
    }

    /** Products with their margin under {@code field} (an alias unless it is "margin") and the signed-in user. */
    private static String query(String field) {
        return "{ me { username } topProducts(first: 2) { name " + (field.equals("margin") ? "" : field + ": ") + "margin } }";
    }

    /** @param field the name (an alias of margin) request {@code i} reads the margin under */
    private static void storm(String what, IntFunction<String> field) throws Exception {
        RouterSettings settings = RouterSettings.DEFAULTS.withSubgraphTimeout(TIMEOUT);
        try (TinyHttpServer hung = new TinyHttpServer(new TinyHttpServer.Behaviour.Hang());
             MixedGraph graph = new MixedGraph(settings, Map.of("inventory", hung.url()));
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            // warm up (compiled code, open connections, plans made): the storm measures waiting, not a cold start
            List<Future<Integer>> warmUp = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                warmUp.add(clients.submit(() -> graph.query("{ me { username } topProducts(first: 2) { name } }").statusCode()));
            }
            for (Future<Integer> status : warmUp) assertThat(status.get()).isEqualTo(200);
            for (int i = 0; i < CLIENTS; i++) {
                String margin = field.apply(i);
                graph.router.prepare(new GraphQLRequest(query(margin), null, null, null), Caller.ANONYMOUS);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> answers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String margin = field.apply(i);
                String body = FederatedGraph.JSON.writeValueAsString(Map.of("query", query(margin)));
                answers.add(clients.submit(() -> {
                    go.await();
                    long start = System.nanoTime();
                    HttpResponse<String> response = graph.post(body);
                    long took = System.nanoTime() - start;
                    assertThat(response.statusCode()).isEqualTo(200);
                    JsonNode answer = FederatedGraph.JSON.readTree(response.body());
                    assertThat(answer.at("/data/me/username").isTextual()).as(response.body()).isTrue();
                    assertThat(answer.at("/data/topProducts/0/name").isTextual()).as(response.body()).isTrue();
                    assertThat(answer.at("/data/topProducts/0/" + margin).isNull()).as(response.body()).isTrue();
                    JsonNode error = answer.at("/errors/0");
                    assertThat(error.at("/extensions/serviceName").asText()).as(response.body()).isEqualTo("inventory");
                    assertThat(error.at("/extensions/code").asText()).as(response.body()).isEqualTo("SUBGRAPH_TIMEOUT");
                    assertThat(error.get("path").toString()).as(response.body()).isEqualTo("[\"topProducts\",0,\"" + margin + "\"]");
                    return took;
                }));
            }
            long stormStart = System.nanoTime();
            go.countDown();
            // /health in the middle of the storm: measured for the report (the HTTP layer answers it, not this code)
            Thread.sleep(500);
            long healthStart = System.nanoTime();
            HttpResponse<String> health = graph.client.getPath("/health");
            long healthTook = System.nanoTime() - healthStart;
            List<Long> latencies = new ArrayList<>();
            for (Future<Long> answer : answers) latencies.add(answer.get());
            long all = System.nanoTime() - stormStart;
            latencies.sort(null);
            long max = latencies.getLast();
            System.out.printf("hung subgraph, %s, %d clients, subgraph timeout %d ms: latency min %d ms, median %d ms, "
                            + "p99 %d ms, max %d ms; all answered in %d ms; /health %d in %d ms during the storm%n",
                    what, CLIENTS, TIMEOUT.toMillis(), latencies.getFirst() / 1_000_000, latencies.get(CLIENTS / 2) / 1_000_000,
                    latencies.get(CLIENTS * 99 / 100) / 1_000_000, max / 1_000_000, all / 1_000_000, health.statusCode(),
                    healthTook / 1_000_000);
            assertThat(Duration.ofNanos(max)).as("the slowest answer").isLessThan(BOUND);
        }
    }
}
