package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.SubgraphServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27: a subgraph served by a pool of two instances, one of which answers HTTP 500 to everything. The router keeps
 * answering every request (a failed call is retried on the other instance), the bad instance is ejected after three
 * failures in a row (and receives only its probes while out), and once it heals a probe takes it back in.
 */
class InstancePoolTest {
    private static final String QUERY = "{ topProducts(first: 2) { name inStock } }";

    @Test
    void aPoolWithOneBadInstanceKeepsAnsweringEjectsItAndTakesItBack(@TempDir Path dir) throws Exception {
        try (TrafficGraph graph = new TrafficGraph(dir, """
                traffic_shaping:
                  subgraphs:
                    inventory:
                      urls: ["${INVENTORY_URL}", "${INVENTORY_2_URL}"]
                      balance: round_robin
                      outlier_detection:
                        consecutive_failures: 3
                        base_ejection_time: 1s
                        max_ejection_time: 2s
                        max_ejected_percent: 50
                      retry: { enabled: true, statuses: [500], initial_backoff: 1ms, max_backoff: 5ms }
                """, "inventory")) {
            SubgraphServer good = graph.subgraph("inventory");
            SubgraphServer bad = graph.second("inventory");
            bad.setFaults(FaultSettings.NONE.withHttp500Rate(1));
            int queries = 60;
            for (int i = 0; i < queries; i++) {
                JsonNode answer = graph.query(QUERY);
                assertThat(answer.has("errors")).as(answer.toString()).isFalse();
                assertThat(answer.at("/data/topProducts/0/inStock").isBoolean()).isTrue();
            }
            long toBad = bad.requestLog().totalCount();
            long toGood = good.requestLog().totalCount();
            System.out.printf("pool of 2, one answering 500: %d queries answered, good instance %d calls, bad one %d%n",
                    queries, toGood, toBad);
            assertThat(toGood).isGreaterThanOrEqualTo(queries);
            // three failures eject it; then one probe per ejection (1 s, then 2 s)
            assertThat(toBad).isGreaterThanOrEqualTo(3).isLessThan(3 + 10);
            assertThat(graph.gateway.router().traffic().state().get("inventory").ejections()).isPositive();
            JsonNode ready = graph.ready();
            assertThat(ready.at("/traffic/inventory/instances").asInt()).isEqualTo(2);
            assertThat(ready.at("/traffic/inventory/instances_in").asInt()).as(ready.toString()).isEqualTo(1);

            // healed: a probe after its ejection takes it back, and it shares the calls again
            bad.setFaults(FaultSettings.NONE);
            bad.requestLog().clear();
            long giveUp = System.nanoTime() + 20_000_000_000L;
            while (graph.ready().at("/traffic/inventory/instances_in").asInt() < 2 && System.nanoTime() < giveUp) {
                assertThat(graph.query(QUERY).has("errors")).isFalse();
                Thread.sleep(50);
            }
            assertThat(graph.ready().at("/traffic/inventory/instances_in").asInt()).isEqualTo(2);
            bad.requestLog().clear();
            good.requestLog().clear();
            for (int i = 0; i < 20; i++) assertThat(graph.query(QUERY).has("errors")).isFalse();
            assertThat(bad.requestLog().totalCount()).as("back in the round").isBetween(8L, 12L);
            assertThat(good.requestLog().totalCount()).isBetween(8L, 12L);
        }
    }
}
