package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.SubgraphServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27: a bulkhead bounds the calls in flight to a subgraph. Inventory takes 6 s to answer; 20 requests for its (nullable) margin
 * arrive at once with a bound of 3: three calls reach inventory, the other fetches fail at once with
 * SUBGRAPH_BULKHEAD_FULL at their paths (the products' other fields still served), and requests that do not touch
 * inventory are answered meanwhile as usual.
 */
class BulkheadTest {
    @Test
    void aSlowSubgraphHoldsAtMostItsBoundAndDoesNotSlowTheOthers(@TempDir Path dir) throws Exception {
        try (TrafficGraph graph = new TrafficGraph(dir, """
                traffic_shaping:
                  subgraphs:
                    inventory:
                      bulkhead: { max_in_flight: 3 }
                """);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            graph.query("{ me { username } topProducts(first: 1) { name margin } }"); // warm: plans, connections
            SubgraphServer inventory = graph.subgraph("inventory");
            inventory.requestLog().clear();
            inventory.setFaults(FaultSettings.NONE.withLatency(6_000, 6_000));
            CountDownLatch go = new CountDownLatch(1);
            List<Future<JsonNode>> slow = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                // an alias of its own: each request's inventory call is distinct (none shares another's)
                String query = "{ topProducts(first: 1) { name s" + i + ": margin } }";
                slow.add(clients.submit(() -> {
                    go.await();
                    return graph.query(query);
                }));
            }
            go.countDown();
            // while inventory holds its three calls, requests that do not need it
            Thread.sleep(500);
            List<Long> others = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                JsonNode answer = graph.query("{ me { username } topProducts(first: 2) { name } }");
                others.add((System.nanoTime() - start) / 1_000_000);
                assertThat(answer.has("errors")).as(answer.toString()).isFalse();
            }
            int full = 0;
            int answered = 0;
            for (Future<JsonNode> request : slow) {
                JsonNode answer = request.get();
                assertThat(answer.at("/data/topProducts/0/name").isTextual()).as(answer.toString()).isTrue();
                if (!answer.has("errors")) {
                    answered++;
                } else {
                    assertThat(TrafficGraph.codes(answer)).as(answer.toString()).containsExactly("SUBGRAPH_BULKHEAD_FULL");
                    assertThat(answer.at("/errors/0/path/2").asText()).startsWith("s");
                    full++;
                }
            }
            others.sort(null);
            System.out.printf("bulkhead 3, inventory answering in 6 s: %d of 20 fetches sent, %d refused; requests without "
                    + "inventory meanwhile: median %d ms, max %d ms%n", answered, full, others.get(10), others.getLast());
            assertThat(inventory.requestLog().totalCount()).as("calls that reached inventory").isEqualTo(3);
            assertThat(answered).isEqualTo(3);
            assertThat(full).isEqualTo(17);
        }
    }
}
