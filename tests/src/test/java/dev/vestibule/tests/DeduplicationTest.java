package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.samples.server.FaultSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Identical subgraph queries in flight at once share one call; mutations are never shared. Requests that merged the
 * same answers share the written response, unless an error was met.
 */
class DeduplicationTest {
    private static final int CLIENTS = 8;

    @RegisterExtension
    static final FederatedGraph graph = FederatedGraph.forClass(RouterSettings.DEFAULTS);

    private static List<JsonNode> concurrently(String query) throws Exception {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) answers.add(clients.submit((Callable<JsonNode>) () -> graph.query(query)));
            List<JsonNode> out = new ArrayList<>();
            for (Future<JsonNode> answer : answers) out.add(answer.get());
            return out;
        }
    }

    @Test
    void identicalQueriesInFlightShareOneSubgraphCall() throws Exception {
        String query = "{ topProducts(first: 3) { name } }";
        graph.query(query); // planned and cached, so that every client goes straight to the fetch
        graph.resetLogsAndFaults();
        // the subgraph answers slowly, so that all clients' fetches are in flight at once, even on a loaded machine
        graph.subgraph("products").setFaults(FaultSettings.NONE.withLatency(1500, 1500));
        List<JsonNode> answers = concurrently(query);
        assertThat(answers).allSatisfy(a -> assertThat(a).isEqualTo(answers.get(0)));
        assertThat(answers.get(0).at("/data/topProducts").size()).isEqualTo(3);
        assertThat(graph.subgraph("products").requestLog().totalCount()).isLessThanOrEqualTo(3); // 8 without sharing
    }

    @Test
    void entityFetchesOfRequestsWithTheSameDataJoinOneInFlight() throws Exception {
        String query = "{ topProducts(first: 3) { name reviews(first: 2) { edges { node { body } } } } }";
        JsonNode alone = graph.query(query);
        graph.resetLogsAndFaults();
        // slow enough that every client joins the one root fetch, and then the one entity fetch built from its answer
        graph.subgraph("products").setFaults(FaultSettings.NONE.withLatency(500, 500));
        graph.subgraph("reviews").setFaults(FaultSettings.NONE.withLatency(1500, 1500));
        long joinedBefore = graph.observed.joinedEntityFetches();
        List<JsonNode> answers = concurrently(query);
        assertThat(answers).allSatisfy(a -> assertThat(a).isEqualTo(alone));
        assertThat(alone.at("/data/topProducts/0/reviews/edges").size()).isPositive();
        assertThat(graph.subgraph("reviews").requestLog().totalCount()).isLessThanOrEqualTo(3);
        // joined by lineage, before building representations: the subgraph call alone would be shared by its body too
        assertThat(graph.observed.joinedEntityFetches() - joinedBefore).isPositive();
    }

    @Test
    void requestsThatMergedTheSameAnswersSendOneWrittenResponse() throws Exception {
        String query = "{ topProducts(first: 3) { name price reviews(first: 2) { edges { node { body author { username } } } } } }";
        graph.resetLogsAndFaults();
        JsonNode alone = graph.query(query);
        graph.resetLogsAndFaults();
        // every client joins the one root fetch and the entity fetches built from its answer: all hold the same data
        graph.subgraph("products").setFaults(FaultSettings.NONE.withLatency(500, 500));
        graph.subgraph("reviews").setFaults(FaultSettings.NONE.withLatency(1000, 1000));
        long reusedBefore = graph.observed.reusedAnswers();
        List<JsonNode> answers = concurrently(query);
        assertThat(answers).allSatisfy(a -> assertThat(a).isEqualTo(alone));
        assertThat(alone.at("/data/topProducts/0/reviews/edges/0/node/author/username").asText()).isNotEmpty();
        assertThat(graph.observed.reusedAnswers() - reusedBefore).isPositive();
    }

    @Test
    void responsesOfRequestsThatMetAnErrorAreNeverReused() throws Exception {
        String query = "{ topProducts(first: 2) { name reviews(first: 1) { edges { node { body } } } } }";
        graph.query(query);
        graph.resetLogsAndFaults();
        graph.subgraph("products").setFaults(FaultSettings.NONE.withLatency(300, 300));
        graph.subgraph("reviews").setFaults(FaultSettings.NONE.withLatency(800, 800).withErrorRate(1.0));
        long reusedBefore = graph.observed.reusedAnswers();
        List<JsonNode> answers;
        long reviewCalls;
        try {
            answers = concurrently(query);
            reviewCalls = graph.subgraph("reviews").requestLog().totalCount();
        } finally {
            graph.resetLogsAndFaults();
        }
        // each request shaped its own answer: the same one, with the error, as the data is the same
        assertThat(answers).allSatisfy(a -> assertThat(a).isEqualTo(answers.get(0)));
        assertThat(answers.get(0).at("/errors/0/extensions/serviceName").asText()).as(answers.get(0).toString()).isEqualTo("reviews");
        assertThat(graph.observed.reusedAnswers() - reusedBefore).isZero();
        assertThat(reviewCalls).isLessThanOrEqualTo(3); // the calls were shared
    }

    @Test
    void requestsThatDecideSkipAndIncludeDifferentlyGetTheirOwnResponses() throws Exception {
        String query = "query Top($withPrice: Boolean!) { topProducts(first: 2) { name price @include(if: $withPrice) } }";
        graph.resetLogsAndFaults();
        JsonNode with = graph.query(query, Map.of("withPrice", true));
        JsonNode without = graph.query(query, Map.of("withPrice", false));
        assertThat(with.at("/data/topProducts/0/price").isMissingNode()).isFalse();
        assertThat(without.at("/data/topProducts/0/price").isMissingNode()).isTrue();
        graph.resetLogsAndFaults();
        graph.subgraph("products").setFaults(FaultSettings.NONE.withLatency(500, 500));
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                boolean withPrice = i % 2 == 0;
                answers.add(clients.submit((Callable<JsonNode>) () -> graph.query(query, Map.of("withPrice", withPrice))));
            }
            for (int i = 0; i < CLIENTS; i++) assertThat(answers.get(i).get()).isEqualTo(i % 2 == 0 ? with : without);
        }
    }

    @Test
    void entityFetchesOfRequestsWithDifferentDataAreNotJoined() throws Exception {
        // the same plan (so the same entity fetch node), but the root answers differ: each request's entity fetch must
        // go with its own representations
        String query = "query Top($first: Int) { topProducts(first: $first) { upc name reviews(first: 2) { edges { node { body } } } } }";
        Map<Integer, JsonNode> alone = new HashMap<>();
        for (int first : new int[] {1, 2, 3}) alone.put(first, graph.query(query, Map.of("first", first)));
        graph.resetLogsAndFaults();
        graph.subgraph("products").setFaults(FaultSettings.NONE.withLatency(300, 300));
        graph.subgraph("reviews").setFaults(FaultSettings.NONE.withLatency(1000, 1000));
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                int first = 1 + i % 3;
                answers.add(clients.submit((Callable<JsonNode>) () -> graph.query(query, Map.of("first", first))));
            }
            for (int i = 0; i < 9; i++) assertThat(answers.get(i).get()).isEqualTo(alone.get(1 + i % 3));
        }
        assertThat(alone.get(3).at("/data/topProducts").size()).isEqualTo(3);
    }

    @Test
    void mutationsAreNeverShared() throws Exception {
        graph.resetLogsAndFaults();
        graph.subgraph("reviews").setFaults(FaultSettings.NONE.withLatency(300, 300));
        String upc = "100998";
        List<JsonNode> answers = concurrently(
                "mutation { addReview(input: {productUpc: \"" + upc + "\", authorId: \"u7\", rating: 3, body: \"same\"}) { id } }");
        assertThat(answers.stream().map(a -> a.at("/data/addReview/id").asText()).distinct()).hasSize(CLIENTS);
        assertThat(graph.subgraph("reviews").requestLog().totalCount()).isEqualTo(CLIENTS);
    }

    @Test
    void differentQueriesAreNotShared() throws Exception {
        graph.resetLogsAndFaults();
        graph.query("{ topProducts(first: 1) { name } }");
        graph.query("{ topProducts(first: 2) { name } }");
        assertThat(graph.subgraph("products").requestLog().totalCount()).isEqualTo(2);
    }
}
