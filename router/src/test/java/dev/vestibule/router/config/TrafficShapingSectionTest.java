package dev.vestibule.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.router.subgraph.traffic.TrafficPolicy;
import dev.vestibule.router.subgraph.traffic.TrafficShaping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** traffic_shaping: defaults, all: merged under subgraphs.<name>: key by key, and an error naming the key for each mistake. */
class TrafficShapingSectionTest {
    @TempDir
    Path dir;

    private TrafficShaping load(String yaml) throws Exception {
        return RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), yaml), Map.<String, String>of()::get)
                .settings().trafficShaping();
    }

    private void rejects(String yaml, String message) {
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void withoutTheSectionNothingChanges() throws Exception {
        assertThat(load("router:\n  introspection: true\n")).isEqualTo(TrafficShaping.NONE);
        TrafficPolicy none = TrafficShaping.NONE.forSubgraph("any");
        assertThat(none.retry().enabled()).isFalse();
        assertThat(none.breaker().enabled()).isFalse();
        assertThat(none.maxInFlight()).isZero();
        assertThat(none.urls()).isEmpty();
    }

    @Test
    void aSubgraphsOwnKeysOverrideAllKeyByKey() throws Exception {
        TrafficShaping shaping = load("""
                traffic_shaping:
                  all:
                    retry: { enabled: true, max_attempts: 4, budget: { retry_percent: 10 } }
                    circuit_breaker: { enabled: true, minimum_calls: 10 }
                    bulkhead: { max_in_flight: 100 }
                  subgraphs:
                    products:
                      urls: [http://a:4002/graphql, http://b:4002/graphql]
                      balance: round_robin
                      retry: { max_attempts: 2, statuses: [503] }
                      circuit_breaker: { open_duration: 30s }
                """);
        TrafficPolicy products = shaping.forSubgraph("products");
        assertThat(products.urls()).containsExactly("http://a:4002/graphql", "http://b:4002/graphql");
        assertThat(products.balance()).isEqualTo(TrafficPolicy.Balance.ROUND_ROBIN);
        assertThat(products.retry().enabled()).isTrue();
        assertThat(products.retry().maxAttempts()).isEqualTo(2);
        assertThat(products.retry().statuses()).isEqualTo(Set.of(503));
        assertThat(products.retry().budget().retryPercent()).isEqualTo(10);
        assertThat(products.retry().budget().minPerSecond()).isEqualTo(10);
        assertThat(products.breaker().minimumCalls()).isEqualTo(10);
        assertThat(products.breaker().openDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(products.maxInFlight()).isEqualTo(100);
        TrafficPolicy accounts = shaping.forSubgraph("accounts");
        assertThat(accounts.urls()).isEmpty();
        assertThat(accounts.retry().maxAttempts()).isEqualTo(4);
        assertThat(accounts.retry().statuses()).isEqualTo(Set.of(502, 503, 504));
        assertThat(accounts.breaker().openDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(shaping.unknown(Set.of("products"))).isEmpty();
        assertThat(shaping.unknown(Set.of("accounts"))).isEqualTo(Set.of("products"));
        assertThat(List.copyOf(shaping.subgraphs().keySet())).containsExactly("products");
    }

    @Test
    void everyMistakeNamesItsKey() {
        rejects("traffic_shaping:\n  al:\n    retry: {}\n", "traffic_shaping.al: unknown key (known here: all, callers, subgraphs)");
        rejects("traffic_shaping:\n  all:\n    urls: [http://a/graphql]\n", "traffic_shaping.all.urls: unknown key");
        rejects("traffic_shaping:\n  all:\n    retry: { max_attempt: 3 }\n", "traffic_shaping.all.retry.max_attempt: unknown key");
        rejects("traffic_shaping:\n  all:\n    retry: { max_attempts: 0 }\n", "traffic_shaping.all.retry.max_attempts: must be between 1 and 10");
        rejects("traffic_shaping:\n  all:\n    retry: { statuses: [200, 999] }\n", "traffic_shaping.all.retry.statuses[1]: must be between 100 and 599");
        rejects("traffic_shaping:\n  all:\n    retry: { initial_backoff: 2s, max_backoff: 1s }\n",
                "traffic_shaping.all.retry.max_backoff: must be at least initial_backoff");
        rejects("traffic_shaping:\n  all:\n    retry: { budget: { ttl: 2m } }\n", "traffic_shaping.all.retry.budget.ttl: must be between 1s and 60s");
        rejects("traffic_shaping:\n  all:\n    circuit_breaker: { failure_rate_percent: 0 }\n",
                "traffic_shaping.all.circuit_breaker.failure_rate_percent: must be between 1 and 100");
        rejects("traffic_shaping:\n  all:\n    balance: random\n", "traffic_shaping.all.balance: expected one of least_requests, round_robin");
        rejects("traffic_shaping:\n  subgraphs:\n    products:\n      urls: []\n", "traffic_shaping.subgraphs.products.urls: list at least one");
        rejects("traffic_shaping:\n  subgraphs:\n    products:\n      urls: [ftp://a/graphql]\n",
                "traffic_shaping.subgraphs.products.urls[0]: expected an http:// or https:// URL");
        rejects("traffic_shaping:\n  subgraphs:\n    products:\n      urls: [http://a/graphql, http://a/graphql]\n", "lists the same URL twice");
        rejects("traffic_shaping:\n  all:\n    outlier_detection: { base_ejection_time: 1m, max_ejection_time: 30s }\n",
                "traffic_shaping.all.outlier_detection.max_ejection_time: must be at least base_ejection_time");
        rejects("traffic_shaping:\n  all:\n    health_check: { path: health }\n", "traffic_shaping.all.health_check.path: must start with /");
        rejects("traffic_shaping:\n  all:\n    health_check: { healthy_threshold: 0 }\n",
                "traffic_shaping.all.health_check.healthy_threshold: must be between 1 and 100");
        rejects("traffic_shaping:\n  all:\n    canary: { urls: [http://b/graphql] }\n", "traffic_shaping.all.canary: unknown key");
        rejects("traffic_shaping:\n  subgraphs:\n    products:\n      canary: { urls: [http://b/graphql], weight: 101 }\n",
                "traffic_shaping.subgraphs.products.canary.weight: must be between 0 and 100");
        rejects("traffic_shaping:\n  subgraphs:\n    products:\n      canary: { urls: [http://b/graphql], weight: five }\n",
                "traffic_shaping.subgraphs.products.canary.weight: expected a percentage between 0 and 100, got 'five'");
        rejects("traffic_shaping:\n  subgraphs:\n    products:\n      urls: [http://a/graphql]\n      canary: { urls: [http://a/graphql] }\n",
                "traffic_shaping.subgraphs.products.canary.urls[0]: is also a primary instance");
        rejects("traffic_shaping:\n  subgraphs:\n    products:\n      shadow: { percent: 5 }\n",
                "traffic_shaping.subgraphs.products.shadow.url: required");
        rejects("traffic_shaping:\n  subgraphs:\n    products:\n      shadow: { url: \"mailto:x\" }\n",
                "traffic_shaping.subgraphs.products.shadow.url: expected an http:// or https:// URL");
        rejects("traffic_shaping:\n  callers:\n    sticky_header: \"x user\"\n", "traffic_shaping.callers.sticky_header: not an HTTP header name");
        rejects("traffic_shaping:\n  callers:\n    override_percent: { \"percent(5)\": 10 }\n",
                "traffic_shaping.callers.override_percent.percent(5): not a named @override label");
        rejects("traffic_shaping:\n  callers:\n    override_percent: { beta: 200 }\n",
                "traffic_shaping.callers.override_percent.beta: must be between 0 and 100");
    }

    @Test
    void canaryShadowHealthChecksAndCallersAreRead() throws Exception {
        TrafficShaping shaping = load("""
                traffic_shaping:
                  all:
                    health_check: { interval: 2s }
                  subgraphs:
                    products:
                      urls: [http://a/graphql]
                      canary: { urls: [http://b/graphql], weight: 2.5 }
                      shadow: { url: http://c/graphql, percent: 10 }
                  callers:
                    sticky_header: X-User-Id
                    variant_claim: variant
                    override_labels: [beta]
                    override_percent: { gamma: 12.5 }
                """);
        TrafficPolicy products = shaping.forSubgraph("products");
        assertThat(products.health().enabled()).isTrue();
        assertThat(products.health().interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(products.health().unhealthyThreshold()).isEqualTo(3);
        assertThat(products.canary()).isEqualTo(new TrafficPolicy.Canary(List.of("http://b/graphql"), 2.5));
        assertThat(products.shadow()).isEqualTo(new TrafficPolicy.Shadow("http://c/graphql", 10, 16, Duration.ofSeconds(10)));
        assertThat(shaping.forSubgraph("reviews").canary().enabled()).isFalse();
        assertThat(shaping.callers()).isEqualTo(new TrafficShaping.Callers("x-user-id", null, "variant", Set.of("beta"), null, null,
                Map.of("gamma", 12.5)));
    }
}
