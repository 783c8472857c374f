package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.subgraph.traffic.Cohort;
import dev.vestibule.samples.server.SubgraphServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27: a weighted canary of the products subgraph (a second instance of the sample), over real sockets. Its share
 * of 2,000 callers is within 1 % of its weight and is exactly the callers the sticky hash puts there; a caller's calls
 * all go to the same side; a variant header overrides the weight both ways; a reload of traffic_shaping from the
 * config file changes the weight and the callers' headers without a restart.
 */
class CanaryTest {
    private static final String QUERY = "{ topProducts(first: 1) { name } }";
    private static final String CONFIG = """
            traffic_shaping:
              callers:
                sticky_header: x-user-id
                variant_header: x-vestibule-variant
              subgraphs:
                products:
                  canary: { urls: ["${PRODUCTS_2_URL}"], weight: %s }
            """;

    @Test
    void theCanaryGetsItsShareStickyPerCallerAndAHeaderOverridesIt(@TempDir Path dir) throws Exception {
        try (TrafficGraph graph = new TrafficGraph(dir, CONFIG.formatted("10"), "products")) {
            SubgraphServer primary = graph.subgraph("products");
            SubgraphServer canary = graph.second("products");
            int callers = 2_000;
            int expected = 0;
            for (int i = 0; i < callers; i++) {
                if (Cohort.place("user-" + i, "canary:products") < 10) expected++;
                JsonNode answer = graph.query(QUERY, Map.of(), Map.of("x-user-id", "user-" + i));
                assertThat(answer.has("errors")).as(answer.toString()).isFalse();
            }
            long toCanary = canary.requestLog().totalCount();
            long toPrimary = primary.requestLog().totalCount();
            System.out.printf("canary weight 10: %d of %d callers' calls went to the canary (%.2f %%), %d to the primary%n",
                    toCanary, callers, 100.0 * toCanary / callers, toPrimary);
            assertThat(toCanary + toPrimary).isEqualTo(callers);
            assertThat(toCanary).as("exactly the callers the sticky hash puts in the canary").isEqualTo(expected);
            assertThat(Math.abs(100.0 * toCanary / callers - 10)).isLessThan(1);
            assertThat(graph.ready().at("/traffic/products/canary/weight_percent").asDouble()).isEqualTo(10);

            // sticky: a caller's every call goes to one side
            for (int i = 0; i < 40; i++) {
                boolean inCanary = Cohort.place("user-" + i, "canary:products") < 10;
                long before = canary.requestLog().totalCount();
                for (int j = 0; j < 3; j++) graph.query(QUERY, Map.of(), Map.of("x-user-id", "user-" + i));
                assertThat(canary.requestLog().totalCount() - before).as("user-" + i).isEqualTo(inCanary ? 3 : 0);
            }

            // the variant header wins over the weight, both ways
            String primaryCaller = firstCaller(false);
            String canaryCaller = firstCaller(true);
            long before = canary.requestLog().totalCount();
            graph.query(QUERY, Map.of(), Map.of("x-user-id", primaryCaller, "x-vestibule-variant", "canary"));
            assertThat(canary.requestLog().totalCount() - before).isEqualTo(1);
            before = canary.requestLog().totalCount();
            graph.query(QUERY, Map.of(), Map.of("x-user-id", canaryCaller, "x-vestibule-variant", "primary"));
            graph.query(QUERY, Map.of(), Map.of("x-user-id", canaryCaller, "x-vestibule-variant", "PRIMARY"));
            assertThat(canary.requestLog().totalCount() - before).isZero();

            // hot reload of traffic_shaping: weight 100, then 0, without a restart
            CopyOnWriteArrayList<String> said = new CopyOnWriteArrayList<>();
            graph.gateway.reshapeTrafficOnChange(graph.configFile, graph::reloadConfig, Duration.ofMillis(100), said::add, said::add);
            Files.writeString(graph.configFile, CONFIG.formatted("100"));
            awaitWeight(graph, 100);
            before = canary.requestLog().totalCount();
            for (int i = 0; i < 20; i++) graph.query(QUERY, Map.of(), Map.of("x-user-id", "user-" + i));
            assertThat(canary.requestLog().totalCount() - before).isEqualTo(20);
            Files.writeString(graph.configFile, CONFIG.formatted("0"));
            awaitWeight(graph, 0);
            before = canary.requestLog().totalCount();
            for (int i = 0; i < 20; i++) graph.query(QUERY, Map.of(), Map.of("x-user-id", "user-" + i));
            assertThat(canary.requestLog().totalCount() - before).isZero();
            assertThat(said).allMatch(s -> s.startsWith("traffic_shaping reloaded"));

            // the callers section reloads with the rest: a renamed variant header takes effect, the old one stops
            int reloads = said.size();
            Files.writeString(graph.configFile, CONFIG.formatted("0").replace("x-vestibule-variant", "x-variant"));
            long reloaded = System.nanoTime() + 10_000_000_000L;
            while (said.size() == reloads && System.nanoTime() < reloaded) Thread.sleep(50);
            assertThat(said).hasSize(reloads + 1).last().asString().startsWith("traffic_shaping reloaded");
            before = canary.requestLog().totalCount();
            graph.query(QUERY, Map.of(), Map.of("x-user-id", primaryCaller, "x-variant", "canary"));
            assertThat(canary.requestLog().totalCount() - before).as("the new variant header").isEqualTo(1);
            graph.query(QUERY, Map.of(), Map.of("x-user-id", primaryCaller, "x-vestibule-variant", "canary"));
            assertThat(canary.requestLog().totalCount() - before).as("the old variant header").isEqualTo(1);

            // a broken change is refused, naming the key, and the running one keeps serving
            Files.writeString(graph.configFile, CONFIG.formatted("150"));
            long giveUp = System.nanoTime() + 10_000_000_000L;
            while (said.stream().noneMatch(s -> s.contains("not reloaded")) && System.nanoTime() < giveUp) Thread.sleep(50);
            assertThat(said.getLast()).contains("weight").contains("between 0 and 100");
            assertThat(graph.ready().at("/traffic/products/canary/weight_percent").asDouble()).isEqualTo(0);
        }
    }

    @Test
    void theStickyHashSpreadsCallersEvenly() {
        int callers = 100_000;
        for (double weight : new double[] {1, 5, 50}) {
            int in = 0;
            for (int i = 0; i < callers; i++) if (Cohort.place("user-" + i, "canary:products") < weight) in++;
            assertThat(Math.abs(100.0 * in / callers - weight)).as("weight " + weight).isLessThan(0.2);
        }
    }

    private static String firstCaller(boolean inCanary) {
        for (int i = 0; ; i++) if ((Cohort.place("user-" + i, "canary:products") < 10) == inCanary) return "user-" + i;
    }

    private static void awaitWeight(TrafficGraph graph, double weight) throws Exception {
        long giveUp = System.nanoTime() + 10_000_000_000L;
        while (graph.ready().at("/traffic/products/canary/weight_percent").asDouble() != weight && System.nanoTime() < giveUp) {
            Thread.sleep(50);
        }
        assertThat(graph.ready().at("/traffic/products/canary/weight_percent").asDouble()).isEqualTo(weight);
    }
}
