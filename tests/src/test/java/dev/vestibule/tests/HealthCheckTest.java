package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.RequestLog;
import dev.vestibule.samples.server.SubgraphServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27: active health checks of a pool's instances, over real sockets against the samples' fault injection. An
 * instance that fails its probes is taken out without a client request ever reaching it, and put back once it passes
 * them; /ready's details and the metrics show it.
 */
class HealthCheckTest {
    private static final String QUERY = "{ topProducts(first: 2) { name inStock } }";

    @Test
    void anInstanceFailingItsProbesIsTakenOutAndPutBackWhenTheyPass(@TempDir Path dir) throws Exception {
        try (TrafficGraph graph = new TrafficGraph(dir, """
                telemetry:
                  metrics: {}
                traffic_shaping:
                  subgraphs:
                    inventory:
                      urls: ["${INVENTORY_URL}", "${INVENTORY_2_URL}"]
                      balance: round_robin
                      health_check:
                        interval: 100ms
                        timeout: 2s
                        healthy_threshold: 2
                        unhealthy_threshold: 2
                """, "inventory")) {
            SubgraphServer good = graph.subgraph("inventory");
            SubgraphServer bad = graph.second("inventory");
            bad.setFaults(FaultSettings.NONE.withHttp500Rate(1));
            // out on the probes alone: no client request was sent yet
            awaitInstancesIn(graph, 1);
            assertThat(graph.ready().at("/traffic/inventory/instances_unhealthy").asInt()).isEqualTo(1);
            assertThat(probes(bad.requestLog())).isGreaterThanOrEqualTo(2);

            bad.requestLog().clear();
            good.requestLog().clear();
            for (int i = 0; i < 20; i++) {
                JsonNode answer = graph.query(QUERY);
                assertThat(answer.has("errors")).as(answer.toString()).isFalse();
            }
            assertThat(bad.requestLog().totalCount() - probes(bad.requestLog())).as("client calls to the unhealthy instance").isZero();
            assertThat(good.requestLog().totalCount() - probes(good.requestLog())).isEqualTo(20);
            String metrics = metrics(graph);
            assertThat(metrics).containsPattern("vestibule_subgraph_pool_health_changes_total\\{state=\"unhealthy\",subgraph_name=\"inventory\"} [1-9]")
                    .contains("vestibule_subgraph_pool_instances{pool=\"primary\",state=\"out\",subgraph_name=\"inventory\"} 1.0");

            // healed: two passing probes put it back, and it shares the calls again
            bad.setFaults(FaultSettings.NONE);
            awaitInstancesIn(graph, 2);
            bad.requestLog().clear();
            good.requestLog().clear();
            for (int i = 0; i < 20; i++) assertThat(graph.query(QUERY).has("errors")).isFalse();
            assertThat(bad.requestLog().totalCount() - probes(bad.requestLog())).as("back in the round").isEqualTo(10);
            assertThat(metrics(graph)).containsPattern("vestibule_subgraph_pool_health_changes_total\\{state=\"healthy\",subgraph_name=\"inventory\"} [1-9]");
        }
    }

    private static void awaitInstancesIn(TrafficGraph graph, int in) throws Exception {
        long giveUp = System.nanoTime() + 10_000_000_000L;
        while (graph.ready().at("/traffic/inventory/instances_in").asInt() != in && System.nanoTime() < giveUp) Thread.sleep(50);
        assertThat(graph.ready().at("/traffic/inventory/instances_in").asInt()).as(graph.ready().toString()).isEqualTo(in);
    }

    private static long probes(RequestLog log) {
        return log.entries().stream().filter(e -> e.query() != null && e.query().contains("VestibuleHealthCheck")).count();
    }

    private static String metrics(TrafficGraph graph) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(graph.url("/metrics"))).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
