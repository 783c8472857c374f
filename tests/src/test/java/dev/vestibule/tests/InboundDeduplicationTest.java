package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.samples.server.FaultSettings;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * router.deduplication.inbound_queries: identical client queries in flight at once share one execution. Subgraph
 * de-duplication is switched off here, so every shared execution shows as exactly one call on the subgraph's log.
 */
class InboundDeduplicationTest {
    private static final int CLIENTS = 8;
    private static final String QUERY = "{ topProducts(first: 3) { name } }";
    private static FederatedGraph graph;

    @BeforeAll
    static void start() throws Exception {
        graph = new FederatedGraph(RouterSettings.DEFAULTS.toBuilder()
                .deduplication(new RouterSettings.Deduplication(false, true, List.of("x-tenant"))).build());
        graph.query(QUERY); // planned and cached, so that every client goes straight to execution
    }

    @AfterAll
    static void stop() {
        graph.close();
    }

    /** CLIENTS requests at once while the products subgraph answers slowly; request i gets the headers headers(i). */
    private static List<HttpResponse<String>> concurrently(String body, IntFunction<String[]> headers) throws Exception {
        graph.resetLogsAndFaults();
        graph.subgraph("products").setFaults(FaultSettings.NONE.withLatency(1500, 1500));
        graph.subgraph("reviews").setFaults(FaultSettings.NONE.withLatency(300, 300));
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String[] h = headers.apply(i);
                answers.add(clients.submit((Callable<HttpResponse<String>>) () -> graph.postRaw(body, null, h)));
            }
            List<HttpResponse<String>> out = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) out.add(answer.get());
            return out;
        }
    }

    private static String body(String query) throws Exception {
        return FederatedGraph.JSON.writeValueAsString(Map.of("query", query));
    }

    @Test
    void identicalQueriesInFlightShareOneExecution() throws Exception {
        List<HttpResponse<String>> answers = concurrently(body(QUERY), i -> new String[0]);
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.statusCode()).isEqualTo(200);
            assertThat(a.body()).isEqualTo(answers.get(0).body());
        });
        JsonNode data = FederatedGraph.JSON.readTree(answers.get(0).body());
        assertThat(data.at("/data/topProducts").size()).isEqualTo(3);
        assertThat(graph.subgraph("products").requestLog().totalCount()).isLessThanOrEqualTo(3); // 8 without sharing
    }

    @Test
    void differentAuthorizationHeadersAreNeverShared() throws Exception {
        concurrently(body(QUERY), i -> new String[] {"authorization", "Bearer client-" + i});
        assertThat(graph.subgraph("products").requestLog().totalCount()).isEqualTo(CLIENTS);
    }

    @Test
    void aConfiguredVaryHeaderSeparatesRequests() throws Exception {
        concurrently(body(QUERY), i -> new String[] {"x-tenant", "tenant-" + (i % 2)});
        assertThat(graph.subgraph("products").requestLog().totalCount()).isBetween(2L, 6L); // at least one per tenant
        graph.resetLogsAndFaults();
        concurrently(body(QUERY), i -> new String[] {"x-tenant", "tenant-" + i});
        assertThat(graph.subgraph("products").requestLog().totalCount()).isEqualTo(CLIENTS);
    }

    @Test
    void mutationsAreNeverShared() throws Exception {
        String mutation = "mutation { addReview(input: {productUpc: \"100998\", authorId: \"u7\", rating: 3, body: \"same\"}) { id } }";
        List<HttpResponse<String>> answers = concurrently(body(mutation), i -> new String[0]);
        List<String> ids = new ArrayList<>();
        for (HttpResponse<String> answer : answers) ids.add(FederatedGraph.JSON.readTree(answer.body()).at("/data/addReview/id").asText());
        assertThat(ids.stream().distinct()).hasSize(CLIENTS);
        assertThat(graph.subgraph("reviews").requestLog().totalCount()).isEqualTo(CLIENTS);
    }

    @Test
    void eachJoinerGetsItsOwnContentTypeAndStatus() throws Exception {
        String invalid = body("{ topProducts(first: 3) { nope } }");
        List<HttpResponse<String>> answers = concurrently(invalid,
                i -> new String[] {"accept", i % 2 == 0 ? "application/graphql-response+json" : "application/json"});
        for (int i = 0; i < CLIENTS; i++) {
            assertThat(answers.get(i).statusCode()).isEqualTo(i % 2 == 0 ? 400 : 200);
            assertThat(answers.get(i).headers().firstValue("content-type").orElseThrow())
                    .startsWith(i % 2 == 0 ? "application/graphql-response+json" : "application/json");
        }
        assertThat(graph.totalSubgraphRequests()).isZero();
    }
}
