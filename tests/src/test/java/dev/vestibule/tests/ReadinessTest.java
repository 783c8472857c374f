package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.samples.server.FaultSettings;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 #4: /ready said READY with a required dependency down (a subgraph dead, Redis gone while rate limits fail
 * closed). Now /health is liveness (the process serves) and /ready readiness: NOT_READY (503) with the reasons in the
 * body when a required dependency is down, READY again when it is back. A subgraph is not required unless listed: a
 * dead one only costs its fields.
 */
class ReadinessTest {

    private static RouterConfig config(Path dir, String yaml) throws Exception {
        return RouterConfig.load(Files.writeString(dir.resolve("router-" + System.nanoTime() + ".yaml"), yaml));
    }

    private static HttpResponse<String> get(FederatedGraph graph, String path) throws Exception {
        return graph.client.getPath(path);
    }

    /** Polls /ready until it answers {@code status} (checks run every 200 ms here; the bound is generous). */
    private static HttpResponse<String> awaitReady(FederatedGraph graph, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> ready;
        do {
            ready = get(graph, "/ready");
            if (ready.statusCode() == status) return ready;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("/ready stayed " + ready.statusCode() + ": " + ready.body());
    }

    @Test
    void aRequiredSubgraphThatFailsMakesTheRouterUnready(@TempDir Path dir) throws Exception {
        RouterConfig config = config(dir, """
                server:
                  readiness:
                    required_subgraphs: [products]
                    interval: 200ms
                    timeout: 1s
                """);
        try (FederatedGraph graph = new FederatedGraph(config)) {
            JsonNode up = FederatedGraph.JSON.readTree(awaitReady(graph, 200).body());
            assertThat(up.get("status").asText()).isEqualTo("READY");
            assertThat(up.at("/checks/subgraph:products").asText()).isEqualTo("UP");

            graph.subgraph("products").setFaults(FaultSettings.NONE.withHttp500Rate(1.0));
            HttpResponse<String> down = awaitReady(graph, 503);
            JsonNode body = FederatedGraph.JSON.readTree(down.body());
            assertThat(body.get("status").asText()).isEqualTo("NOT_READY");
            assertThat(body.at("/checks/subgraph:products").asText()).isEqualTo("DOWN");
            assertThat(body.at("/reasons/0").asText()).contains("subgraph products").contains("HTTP 500");
            // the body names the subgraph, never its address
            assertThat(down.body()).doesNotContain("127.0.0.1").doesNotContain("http://");
            // liveness is another question: the process is alive and serving
            assertThat(get(graph, "/health").statusCode()).isEqualTo(200);
            // and the other subgraphs still answer their fields
            assertThat(graph.query("{ me { username } }").at("/data/me/username").isTextual()).isTrue();

            graph.resetLogsAndFaults();
            assertThat(FederatedGraph.JSON.readTree(awaitReady(graph, 200).body()).get("status").asText()).isEqualTo("READY");
        }
    }

    @Test
    void aDeadSubgraphDoesNotMakeTheRouterUnreadyByDefault(@TempDir Path dir) throws Exception {
        try (FederatedGraph graph = new FederatedGraph(config(dir, "router:\n  introspection: true\n"))) {
            graph.subgraph("products").setFaults(FaultSettings.NONE.withHttp500Rate(1.0));
            HttpResponse<String> ready = get(graph, "/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(FederatedGraph.JSON.readTree(ready.body()).at("/checks/supergraph").asText()).isEqualTo("UP");
            assertThat(graph.totalSubgraphRequests()).as("no probe without a required subgraph").isZero();
        }
    }

    @Test
    void redisDownWithFailClosedRateLimitsMakesTheRouterUnready(@TempDir Path dir) throws Exception {
        RedisProcess.requireInstalled();
        try (RedisProcess redis = new RedisProcess()) {
            RouterConfig config = config(dir, """
                    server:
                      readiness:
                        interval: 200ms
                    rate_limits:
                      backend: redis
                      redis:
                        url: %s
                        timeout: 300ms
                        on_failure: closed
                      rules:
                        - name: per-ip
                          key: ip
                          limit: 1000
                    """.formatted(redis.url()));
            try (FederatedGraph graph = new FederatedGraph(config)) {
                JsonNode up = FederatedGraph.JSON.readTree(awaitReady(graph, 200).body());
                assertThat(up.at("/checks/rate_limit_redis").asText()).isEqualTo("UP");

                redis.stop();
                JsonNode down = FederatedGraph.JSON.readTree(awaitReady(graph, 503).body());
                assertThat(down.at("/checks/rate_limit_redis").asText()).isEqualTo("DOWN");
                assertThat(down.at("/reasons/0").asText()).contains("Redis");
                assertThat(down.toString()).doesNotContain(Integer.toString(redis.port));

                redis.start();
                assertThat(FederatedGraph.JSON.readTree(awaitReady(graph, 200).body()).get("status").asText()).isEqualTo("READY");
            }
        }
    }
}
