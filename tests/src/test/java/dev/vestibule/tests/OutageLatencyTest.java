package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.samples.server.FaultSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27, docs/performance.md: during an outage of accounts (it hangs until the 1 s subgraph timeout, or it answers
 * HTTP 500), the latency of requests that need it and of requests that do not, with its circuit breaker off and on,
 * in one run. Eight clients loop for a few seconds, alternating the two kinds; each request is distinct (an alias of its
 * own), so no call is shared. Prints the figures; asserts only what each answer holds, never a time. The breaker's
 * window is 2 s: the warm-up's successful calls leave it before the outage is measured (with 10 s, the 50 successes
 * of the warm-up would keep a hung subgraph's failure rate under 50 % for most of the run).
 */
class OutageLatencyTest {
    private static final int CLIENTS = 8;
    private static final long RUN_NANOS = 4_000_000_000L;
    private static final String BREAKER = """
                traffic_shaping:
                  subgraphs:
                    accounts:
                      circuit_breaker: { enabled: true, minimum_calls: 10, failure_rate_percent: 50, window: 2s, open_duration: 60s }
                """;

    @Test
    void latencyDuringASubgraphOutageWithTheBreakerOffAndOn(@TempDir Path dir) throws Exception {
        System.out.println("outage of accounts, " + CLIENTS + " clients for " + RUN_NANOS / 1_000_000_000 + " s each, subgraph_timeout 1s");
        System.out.println("| outage | breaker | requests | needing accounts: p50 / p90 / p99 / max ms | not needing it: p50 / p90 / p99 / max ms | calls accounts received |");
        System.out.println("|---|---|---|---|---|---|");
        for (String outage : List.of("hangs", "HTTP 500")) {
            for (boolean breaker : List.of(false, true)) {
                Path run = Files.createDirectory(dir.resolve(outage.replace(' ', '-') + "-" + breaker));
                measure(run, outage, breaker);
            }
        }
    }

    private static void measure(Path dir, String outage, boolean breaker) throws Exception {
        String yaml = "router:\n  subgraph_timeout: 1s\n" + (breaker ? BREAKER : "");
        try (TrafficGraph graph = new TrafficGraph(dir, yaml);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) graph.query("{ me { username } topProducts(first: 2) { name } }"); // warm
            graph.subgraph("accounts").requestLog().clear();
            graph.subgraph("accounts").setFaults(outage.equals("hangs") ? FaultSettings.NONE.withHangRate(1)
                    : FaultSettings.NONE.withHttp500Rate(1));
            List<Long> needing = Collections.synchronizedList(new ArrayList<>());
            List<Long> notNeeding = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger sequence = new AtomicInteger();
            long end = System.nanoTime() + RUN_NANOS;
            List<Future<?>> loops = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                loops.add(clients.submit(() -> {
                    boolean needs = false;
                    while (System.nanoTime() < end) {
                        needs = !needs;
                        int n = sequence.incrementAndGet();
                        String query = needs ? "{ me { u" + n + ": username } topProducts(first: 2) { name } }"
                                : "{ topProducts(first: 2) { name p" + n + ": price } }";
                        long start = System.nanoTime();
                        JsonNode answer = graph.query(query);
                        long took = System.nanoTime() - start;
                        assertThat(answer.at("/data/topProducts/1/name").isTextual()).as(answer.toString()).isTrue();
                        if (needs) {
                            assertThat(TrafficGraph.codes(answer)).hasSize(1);
                            needing.add(took);
                        } else {
                            assertThat(answer.has("errors")).as(answer.toString()).isFalse();
                            notNeeding.add(took);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> loop : loops) loop.get();
            System.out.printf("| %s | %s | %d | %s | %s | %d |%n", outage, breaker ? "on" : "off", needing.size() + notNeeding.size(),
                    figures(needing), figures(notNeeding), graph.subgraph("accounts").requestLog().totalCount());
        }
    }

    private static String figures(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        if (sorted.isEmpty()) return "-";
        return ms(sorted, 0.5) + " / " + ms(sorted, 0.9) + " / " + ms(sorted, 0.99) + " / " + sorted.getLast() / 1_000_000;
    }

    private static long ms(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * quantile))) / 1_000_000;
    }
}
