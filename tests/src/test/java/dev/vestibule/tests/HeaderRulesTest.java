package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.middleware.Authenticator;
import dev.vestibule.samples.server.RequestLog;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Header rules per subgraph, over HTTP, asserted on what each subgraph received. */
class HeaderRulesTest {

    @Test
    void eachSubgraphGetsWhatItsRulesSayAndTheIdentityAlwaysWins(@TempDir Path dir) throws Exception {
        String keyHash = HexFormat.of().formatHex(Authenticator.sha256("web-key-0123456789"));
        RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), """
                authentication:
                  api_keys:
                    keys:
                      - sha256: %s
                        consumer: web-app
                  forward_claims:
                    sub: x-user-id
                headers:
                  all:
                    - propagate: { named: x-request-id }
                    - propagate: { named: x-client-version, rename: x-version, default: unknown }
                    - propagate: { matching: "x-tenant-.*" }
                    - propagate: { named: x-user-id }
                    - propagate: { named: content-length }
                    - insert: { name: x-gateway, value: vestibule }
                    - remove: { named: x-tenant-secret }
                  subgraphs:
                    reviews:
                      - insert: { name: x-reviews-key, value: r-123 }
                      - remove: { matching: "x-tenant-.*" }
                """.formatted(keyHash)));
        try (FederatedGraph graph = new FederatedGraph(config)) {
            HttpResponse<String> response = graph.postRaw("{\"query\":\"{ me { username reviews(first: 1) { rating } } }\"}",
                    "application/json", "x-api-key", "web-key-0123456789", "x-request-id", "req-42", "x-tenant-id", "acme",
                    "x-tenant-secret", "s3cret", "x-user-id", "admin", "x-not-listed", "nope");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

            Map<String, String> accounts = lower(graph.subgraph("accounts").requestLog().entries().get(0));
            assertThat(accounts).containsEntry("x-request-id", "req-42").containsEntry("x-version", "unknown")
                    .containsEntry("x-tenant-id", "acme").containsEntry("x-gateway", "vestibule")
                    .containsEntry("x-user-id", "web-app")
                    .doesNotContainKeys("x-tenant-secret", "x-not-listed", "x-api-key", "x-reviews-key");
            assertThat(accounts.get("content-length")).isNotEqualTo("0"); // the router's own, never the client's

            Map<String, String> reviews = lower(graph.subgraph("reviews").requestLog().entries().get(0));
            assertThat(reviews).containsEntry("x-reviews-key", "r-123").containsEntry("x-request-id", "req-42")
                    .containsEntry("x-user-id", "web-app").doesNotContainKeys("x-tenant-id", "x-tenant-secret");
        }
    }

    private static Map<String, String> lower(RequestLog.Entry entry) {
        Map<String, String> headers = new HashMap<>();
        entry.headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        return headers;
    }
}
