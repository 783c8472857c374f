package dev.vestibule.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.operation.Caller;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.pipeline.GatewayObserver;
import dev.vestibule.router.pipeline.RequestContext;
import dev.vestibule.router.pipeline.RequestStage;
import dev.vestibule.router.pipeline.SubgraphHeaders;
import dev.vestibule.router.subgraph.SubgraphCall;
import dev.vestibule.router.subgraph.SubgraphCallStage;
import dev.vestibule.router.subgraph.SubgraphProtection;
import dev.vestibule.router.subgraph.SubgraphTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The invariants single-flight relies on (docs/architecture.md): calls are shared by what can change their answer and
 * by nothing else. Propagation headers (trace context) differ per request and never keep two calls apart; forwarded
 * headers (identity) always do. The protection limit counts calls that go out, so a fetch that joins one takes no
 * permit. Two requests are run at once against canned subgraphs that hold each call until the other request has
 * joined it, or until a second call to the same subgraph arrived (so calls kept apart are in flight together).
 */
class SharedCallInvariantsTest {
    private static final GraphQLRequest REQUEST = new GraphQLRequest("{ products { name inStock } }", null, null, null);

    /** Canned answers; each call waits (bounded) until a fetch joined one to its subgraph or a second call came. */
    static final class Subgraphs implements SubgraphTransport, GatewayObserver {
        final Queue<SubgraphCall> calls = new ConcurrentLinkedQueue<>();
        final Map<String, AtomicInteger> joins = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> arrived = new ConcurrentHashMap<>();

        @Override
        public Reply send(SubgraphCall call) {
            calls.add(call);
            arrived.computeIfAbsent(call.subgraph(), s -> new AtomicInteger()).incrementAndGet();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (count(joins, call.subgraph()) == 0 && count(arrived, call.subgraph()) < 2 && System.nanoTime() < until) {
                Thread.onSpinWait();
                Thread.yield();
            }
            String body = call.subgraph().equals("products")
                    ? "{\"data\":{\"products\":[{\"__typename\":\"Product\",\"id\":\"1\",\"name\":\"a\"}]}}"
                    : "{\"data\":{\"_entities\":[{\"inStock\":true}]}}";
            return new Reply(200, body.getBytes(StandardCharsets.UTF_8));
        }

        private static int count(Map<String, AtomicInteger> counts, String subgraph) {
            AtomicInteger n = counts.get(subgraph);
            return n == null ? 0 : n.get();
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

        List<SubgraphCall> callsTo(String subgraph) {
            return calls.stream().filter(c -> c.subgraph().equals(subgraph)).toList();
        }

        @Override
        public void close() {}
    }

    private static RequestContext context(Map<String, String> forwarded, Map<String, String> propagation) {
        return new RequestContext(Caller.ANONYMOUS, SubgraphHeaders.same(forwarded), propagation,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(60), false);
    }

    /** The answers to REQUEST run at once in each of {@code contexts}. */
    private static List<Map<String, Object>> together(Gateway router, RequestContext... contexts) throws Exception {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Map<String, Object>>> answers = Arrays.stream(contexts)
                    .map(c -> clients.submit(() -> Answers.read(router.execute(REQUEST, c)))).toList();
            List<Map<String, Object>> out = new ArrayList<>();
            for (Future<Map<String, Object>> answer : answers) out.add(answer.get());
            return out;
        }
    }

    @Test
    void requestsThatDifferOnlyInPropagationHeadersShareTheirCalls() throws Exception {
        Subgraphs subgraphs = new Subgraphs();
        try (Gateway router = new Router(GatewayObserverTest.supergraph(), RouterSettings.DEFAULTS, subgraphs, subgraphs)) {
            List<Map<String, Object>> answers = together(router,
                    context(Map.of("x-tenant", "t1"), Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")),
                    context(Map.of("x-tenant", "t1"), Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")));
            assertThat(answers.get(0)).isEqualTo(answers.get(1)).doesNotContainKey("errors");
            // one HTTP call each: the root call was joined by its body, the entity fetch by its data's lineage
            assertThat(subgraphs.callsTo("products")).hasSize(1);
            assertThat(subgraphs.callsTo("stock")).hasSize(1);
            assertThat(subgraphs.joins.get("products").get()).isEqualTo(1);
            assertThat(subgraphs.joins.get("stock").get()).isEqualTo(1);
            // the call that went out carries its leader's trace context and the forwarded headers
            SubgraphCall call = subgraphs.callsTo("products").get(0);
            assertThat(call.propagationHeaders()).containsKey("traceparent");
            assertThat(call.headers()).containsEntry("x-tenant", "t1");
        }
    }

    @Test
    void requestsWithDifferentForwardedHeadersNeverShareACall() throws Exception {
        Subgraphs subgraphs = new Subgraphs();
        try (Gateway router = new Router(GatewayObserverTest.supergraph(), RouterSettings.DEFAULTS, subgraphs, subgraphs)) {
            together(router, context(Map.of("x-user-id", "1"), Map.of()), context(Map.of("x-user-id", "2"), Map.of()));
            // in flight together (each call waited for the other) and still two calls, each with its own identity
            assertThat(subgraphs.callsTo("products")).extracting(c -> c.headers().get("x-user-id")).containsExactlyInAnyOrder("1", "2");
            assertThat(subgraphs.callsTo("stock")).extracting(c -> c.headers().get("x-user-id")).containsExactlyInAnyOrder("1", "2");
            assertThat(subgraphs.joins).isEmpty();
        }
    }

    @Test
    void aFetchThatJoinsACallInFlightTakesNoProtectionPermit() throws Exception {
        Subgraphs subgraphs = new Subgraphs();
        // one call to products per hour: the two requests share it; the third request's call is refused
        RouterSettings settings = RouterSettings.DEFAULTS.toBuilder()
                .subgraphLimits(Map.of("products", new SubgraphProtection.Limit(1, Duration.ofHours(1), 1))).build();
        try (Gateway router = new Router(GatewayObserverTest.supergraph(), settings, subgraphs, subgraphs)) {
            List<Map<String, Object>> answers = together(router, context(Map.of(), Map.of()), context(Map.of(), Map.of()));
            assertThat(answers).allSatisfy(a -> assertThat(a).doesNotContainKey("errors"));
            assertThat(subgraphs.callsTo("products")).hasSize(1);
            assertThat(subgraphs.joins.get("products").get()).isEqualTo(1);

            Map<String, Object> refused = Answers.read(router.execute(REQUEST, context(Map.of(), Map.of())));
            assertThat(refused.toString()).contains("SUBGRAPH_RATE_LIMITED");
            assertThat(subgraphs.callsTo("products")).as("a refused call is not sent").hasSize(1);
        }
    }
}
