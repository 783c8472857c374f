package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.SubgraphServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27: a subgraph that errors trips its circuit breaker; while open, fetches of it fail at once with
 * SUBGRAPH_CIRCUIT_OPEN at their paths (none reaches the subgraph: its request log says so) and the rest of each answer
 * is served; once the faults stop, a probe closes it. Its state is in /ready's details.
 */
class CircuitBreakerTest {
    private static final String QUERY = "{ me { username } topProducts(first: 1) { name } }";

    @Test
    void anErroringSubgraphTripsItsBreakerWhichAnswersAtOnceAndRecovers(@TempDir Path dir) throws Exception {
        try (TrafficGraph graph = new TrafficGraph(dir, """
                traffic_shaping:
                  subgraphs:
                    accounts:
                      circuit_breaker:
                        enabled: true
                        minimum_calls: 5
                        failure_rate_percent: 50
                        window: 30s
                        open_duration: 2s
                """)) {
            SubgraphServer accounts = graph.subgraph("accounts");
            assertThat(graph.ready().at("/traffic/accounts/circuit").asText()).isEqualTo("CLOSED");
            accounts.setFaults(FaultSettings.NONE.withHttp500Rate(1));
            // five failed calls (the minimum volume, all failures) open it
            for (int i = 0; i < 5; i++) {
                assertThat(TrafficGraph.codes(graph.query(QUERY))).containsExactly("SUBGRAPH_HTTP_ERROR");
            }
            assertThat(accounts.requestLog().totalCount()).isEqualTo(5);
            assertThat(graph.ready().at("/traffic/accounts/circuit").asText()).isEqualTo("OPEN");

            List<Long> openMillis = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                JsonNode answer = graph.query(QUERY);
                openMillis.add((System.nanoTime() - start) / 1_000_000);
                assertThat(TrafficGraph.codes(answer)).as(answer.toString()).containsExactly("SUBGRAPH_CIRCUIT_OPEN");
                assertThat(answer.at("/errors/0/path").toString()).isEqualTo("[\"me\"]");
                assertThat(answer.at("/errors/0/extensions/serviceName").asText()).isEqualTo("accounts");
                assertThat(answer.at("/data/topProducts/0/name").isTextual()).as("the rest is served").isTrue();
            }
            assertThat(accounts.requestLog().totalCount()).as("no call reaches accounts while open").isEqualTo(5);
            openMillis.sort(null);
            System.out.printf("breaker open: 20 requests answered in median %d ms, max %d ms, none sent to accounts%n",
                    openMillis.get(10), openMillis.getLast());

            // still failing when it half-opens: the probe fails and it opens again
            Thread.sleep(2_200);
            assertThat(TrafficGraph.codes(graph.query(QUERY))).containsExactly("SUBGRAPH_HTTP_ERROR");
            assertThat(accounts.requestLog().totalCount()).isEqualTo(6);
            assertThat(TrafficGraph.codes(graph.query(QUERY))).containsExactly("SUBGRAPH_CIRCUIT_OPEN");
            assertThat(graph.ready().at("/traffic/accounts/circuit").asText()).isEqualTo("OPEN");

            // the faults stop: after the open time, the probe succeeds and closes it
            accounts.setFaults(FaultSettings.NONE);
            JsonNode answer = null;
            long giveUp = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < giveUp) {
                answer = graph.query(QUERY);
                if (!answer.has("errors")) break;
                assertThat(TrafficGraph.codes(answer)).containsExactly("SUBGRAPH_CIRCUIT_OPEN");
                Thread.sleep(100);
            }
            assertThat(answer.has("errors")).as("recovered: " + answer).isFalse();
            assertThat(graph.ready().at("/traffic/accounts/circuit").asText()).isEqualTo("CLOSED");
            assertThat(graph.query(QUERY).at("/data/me/username").isTextual()).isTrue();
            assertThat(graph.gateway.router().traffic().state().get("accounts").circuitRejected()).isGreaterThanOrEqualTo(21);
        }
    }
}
