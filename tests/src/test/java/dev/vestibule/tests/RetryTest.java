package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.SubgraphServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27: retries per subgraph (traffic_shaping.*.retry) against the sample subgraphs' fault injection, over real
 * sockets. Counts are the subgraphs' request logs: what reached them, not what the router says it sent.
 */
class RetryTest {
    private static final String ME = "{ me { username } }";
    private static final String ADD_REVIEW = "mutation($input: AddReviewInput!) { addReview(input: $input) { rating } }";
    private static final Map<String, Object> REVIEW = Map.of("input", Map.of("productUpc", "1", "authorId", "1", "rating", 5,
            "body", "good"));

    @Test
    void aFlakyQueryIsRetriedUntilItIsAnswered(@TempDir Path dir) throws Exception {
        // a cut connection (the body stops half-way) on 30 % of accounts' answers; up to 10 calls per fetch
        try (TrafficGraph graph = new TrafficGraph(dir, """
                traffic_shaping:
                  subgraphs:
                    accounts:
                      retry: { enabled: true, max_attempts: 10, initial_backoff: 5ms, max_backoff: 20ms,
                               budget: { min_per_second: 1000 } }
                """)) {
            SubgraphServer accounts = graph.subgraph("accounts");
            accounts.setFaults(FaultSettings.NONE.withDisconnectRate(0.3));
            int queries = 30;
            for (int i = 0; i < queries; i++) {
                JsonNode answer = graph.query(ME);
                // all 10 calls of one fetch cut: 0.3^10, about 6 in a million
                assertThat(answer.has("errors")).as(answer.toString()).isFalse();
                assertThat(answer.at("/data/me/username").isTextual()).isTrue();
            }
            long received = accounts.requestLog().totalCount();
            System.out.printf("flaky accounts (30 %% cut connections): %d queries, %d calls received%n", queries, received);
            // 30 answered calls and the cut ones before them (no cut at all in 30 calls: 0.7^30, 2 in 100 000)
            assertThat(received).isGreaterThan(queries);
            assertThat(graph.gateway.router().traffic().state().get("accounts").retries()).isEqualTo(received - queries);
        }
    }

    @Test
    void aMutationIsNeverRetriedUnlessItsSubgraphSaysSo(@TempDir Path dir) throws Exception {
        // every answer of reviews is cut after its head: the same fault for the mutation and the query
        try (TrafficGraph graph = new TrafficGraph(dir, """
                traffic_shaping:
                  all:
                    retry: { enabled: true, max_attempts: 3, initial_backoff: 5ms, budget: { min_per_second: 1000 } }
                """)) {
            SubgraphServer reviews = graph.subgraph("reviews");
            reviews.setFaults(FaultSettings.NONE.withDisconnectRate(1));
            for (int i = 0; i < 5; i++) {
                JsonNode answer = graph.query(ADD_REVIEW, REVIEW);
                assertThat(TrafficGraph.codes(answer)).as(answer.toString()).containsExactly("SUBGRAPH_UNREACHABLE");
            }
            assertThat(reviews.requestLog().totalCount()).as("each mutation sent once").isEqualTo(5);
            reviews.requestLog().clear();
            JsonNode answer = graph.query("{ topProducts(first: 1) { name reviews(first: 1) { totalCount } } }");
            assertThat(TrafficGraph.codes(answer)).as(answer.toString()).contains("SUBGRAPH_UNREACHABLE");
            assertThat(reviews.requestLog().totalCount()).as("the query's fetch sent three times").isEqualTo(3);
        }
        // with retry.mutations on for reviews, the mutation is sent again too
        try (TrafficGraph graph = new TrafficGraph(dir, """
                traffic_shaping:
                  all:
                    retry: { enabled: true, max_attempts: 3, initial_backoff: 5ms, budget: { min_per_second: 1000 } }
                  subgraphs:
                    reviews:
                      retry: { mutations: true }
                """)) {
            SubgraphServer reviews = graph.subgraph("reviews");
            reviews.setFaults(FaultSettings.NONE.withDisconnectRate(1));
            graph.query(ADD_REVIEW, REVIEW);
            assertThat(reviews.requestLog().totalCount()).isEqualTo(3);
        }
    }

    @Test
    void underAFullOutageRetriesStayWithinTheBudget(@TempDir Path dir) throws Exception {
        // accounts answers HTTP 503 to everything; three calls per fetch would triple its load, the budget allows
        // 20 % of the calls over 10 s plus 1 a second (10 in the window)
        try (TrafficGraph graph = new TrafficGraph(dir, """
                traffic_shaping:
                  subgraphs:
                    accounts:
                      retry:
                        enabled: true
                        max_attempts: 3
                        initial_backoff: 1ms
                        max_backoff: 2ms
                        statuses: [500]
                        budget: { retry_percent: 20, min_per_second: 1, ttl: 60s }
                """)) {
            SubgraphServer accounts = graph.subgraph("accounts");
            accounts.setFaults(FaultSettings.NONE.withHttp500Rate(1));
            int queries = 100;
            for (int i = 0; i < queries; i++) {
                JsonNode answer = graph.query(ME);
                assertThat(TrafficGraph.codes(answer)).as(answer.toString()).containsExactly("SUBGRAPH_HTTP_ERROR");
            }
            long received = accounts.requestLog().totalCount();
            long retries = received - queries;
            System.out.printf("accounts down: %d queries, %d calls received (%d retries; without the budget %d)%n",
                    queries, received, retries, queries * 3);
            // 60 s window: every call of the test is in it; reserve 60 (1/s over 60 s) plus 20 % of 100 calls
            assertThat(retries).isPositive().isLessThanOrEqualTo(60 + 20);
            assertThat(graph.gateway.router().traffic().state().get("accounts").retriesRefused()).isPositive();
        }
    }
}
