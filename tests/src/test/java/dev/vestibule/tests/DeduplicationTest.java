package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.samples.server.FaultSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Identical subgraph queries in flight at once share one call; mutations are never shared. */
class DeduplicationTest {
    private static final int CLIENTS = 8;
    private static FederatedGraph graph;

    @BeforeAll
    static void start() throws Exception {
        graph = new FederatedGraph(RouterSettings.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        graph.close();
    }

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
