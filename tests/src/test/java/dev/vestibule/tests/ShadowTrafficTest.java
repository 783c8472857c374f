package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.SubgraphServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27: shadow traffic to a candidate reviews subgraph (a second instance of the sample), over real sockets. The
 * candidate's answers never reach the client; a candidate that answers differently (the samples' injected GraphQL
 * error) is counted as different, one that answers the same as the same; a mutation is never copied; a slow candidate
 * holds no client request (the copies are still running when the answers are back) and copies over the bound are
 * skipped.
 */
class ShadowTrafficTest {
    private static final String QUERY = "{ topProducts(first: 2) { name averageRating reviewCount } }";
    private static final String ADD_REVIEW = "mutation($input: AddReviewInput!) { addReview(input: $input) { rating } }";

    @Test
    void differencesAreCountedMutationsNeverCopiedAndSlowCopiesHoldNoClient(@TempDir Path dir) throws Exception {
        try (TrafficGraph graph = new TrafficGraph(dir, """
                telemetry:
                  metrics: {}
                traffic_shaping:
                  subgraphs:
                    reviews:
                      shadow: { url: "${REVIEWS_2_URL}", percent: 100, max_in_flight: 2, timeout: 10s }
                """, "reviews")) {
            SubgraphServer primary = graph.subgraph("reviews");
            SubgraphServer candidate = graph.second("reviews");
            candidate.setFaults(FaultSettings.NONE.withErrorRate(1));
            for (int i = 0; i < 10; i++) {
                JsonNode answer = graph.query(QUERY);
                assertThat(answer.has("errors")).as("the candidate's errors never reach the client: " + answer).isFalse();
                assertThat(answer.at("/data/topProducts/0/reviewCount").isInt()).isTrue();
                awaitCount(graph, "different", i + 1); // one at a time: the bound of 2 skips none
            }
            assertThat(count(graph, "same")).isZero();

            candidate.setFaults(FaultSettings.NONE);
            for (int i = 0; i < 10; i++) {
                assertThat(graph.query(QUERY).has("errors")).isFalse();
                awaitCount(graph, "same", i + 1);
            }
            assertThat(count(graph, "different")).isEqualTo(10);

            // a mutation goes to the primary only
            long before = candidate.requestLog().totalCount();
            JsonNode added = graph.query(ADD_REVIEW, Map.of("input", Map.of("productUpc", "100001", "authorId", "u1", "rating", 4, "body", "good")));
            assertThat(added.at("/data/addReview/rating").asInt()).as(added.toString()).isEqualTo(4);
            assertThat(primary.requestLog().entries().stream().filter(e -> e.query().startsWith("mutation")).count()).isEqualTo(1);
            Thread.sleep(300);
            assertThat(candidate.requestLog().totalCount()).isEqualTo(before);
            assertThat(candidate.requestLog().entries().stream().filter(e -> e.query().startsWith("mutation")).count()).isZero();

            // a slow candidate: the client's answers come back while the copies still wait; copies over the bound skipped
            candidate.setFaults(FaultSettings.NONE.withLatency(3_000, 3_000));
            long compared = count(graph, "same") + count(graph, "different");
            for (int i = 0; i < 5; i++) assertThat(graph.query(QUERY).has("errors")).isFalse();
            assertThat(count(graph, "same") + count(graph, "different")).as("no copy compared yet: none held a client").isEqualTo(compared);
            assertThat(skipped(graph)).isEqualTo(3);
            awaitCount(graph, "same", 12);
        }
    }

    private static void awaitCount(TrafficGraph graph, String outcome, long expected) throws Exception {
        long giveUp = System.nanoTime() + 15_000_000_000L;
        while (count(graph, outcome) < expected && System.nanoTime() < giveUp) Thread.sleep(20);
        assertThat(count(graph, outcome)).as(outcome).isEqualTo(expected);
    }

    private static long count(TrafficGraph graph, String outcome) throws Exception {
        return value(graph, "vestibule_subgraph_shadow_comparisons_total\\{outcome=\"" + outcome + "\",subgraph_name=\"reviews\"} ([0-9.]+)");
    }

    private static long skipped(TrafficGraph graph) throws Exception {
        return value(graph, "vestibule_subgraph_shadow_skipped_total\\{subgraph_name=\"reviews\"} ([0-9.]+)");
    }

    private static long value(TrafficGraph graph, String pattern) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String body = http.send(HttpRequest.newBuilder(URI.create(graph.url("/metrics"))).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher matcher = Pattern.compile(pattern).matcher(body);
            return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
        }
    }
}
