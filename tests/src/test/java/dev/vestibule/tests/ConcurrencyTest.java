package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.RouterSettings;
import dev.vestibule.samples.server.FaultSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 500 clients connecting at once, each waiting on a slow subgraph, all get their answer (the accept queue holds the
 * burst) and do not need 500 platform threads: requests and fetches run on virtual threads (issue #6). The router,
 * the subgraphs and the clients share this JVM, so its peak platform thread count bounds the router's.
 */
class ConcurrencyTest {
    private static final int CLIENTS = 500;

    @RegisterExtension
    static final FederatedGraph graph = FederatedGraph.forClass(RouterSettings.DEFAULTS);

    @Test
    void fiveHundredConcurrentClientsAreServedWithoutAThreadEach() throws Exception {
        graph.query("{ topProducts(first: 2) { name inStock } }"); // planned and cached; connections warm
        graph.resetLogsAndFaults();
        graph.subgraph("inventory").setFaults(FaultSettings.NONE.withLatency(500, 500));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();
        threads.resetPeakThreadCount();
        try (ExecutorService clientThreads = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient client = HttpClient.newBuilder().executor(clientThreads).build()) {
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                // distinct arguments: every request is executed on its own, none joins another
                String body = "{\"query\":\"{ topProducts(first: " + (1 + i % 5) + ") { name inStock } }\",\"extensions\":{\"client\":" + i + "}}";
                answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create(graph.url()))
                        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // every client must get an answer: a refused or reset connection (a full accept queue) fails here
            int failed = 0;
            Throwable first = null;
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                try {
                    answer.join();
                } catch (RuntimeException e) {
                    failed++;
                    if (first == null) first = e;
                }
            }
            if (failed > 0) throw new AssertionError(failed + " of " + CLIENTS + " clients got no answer", first);
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.join();
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("\"inStock\"").doesNotContain("\"errors\"");
            }
        }
        int peak = threads.getPeakThreadCount();
        assertThat(peak - before).as("platform threads added while %d requests were in flight", CLIENTS).isLessThan(100);
    }
}
