package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.config.RouterConfig;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CORS and CSRF at the router's door, configured from YAML, over HTTP. */
class BrowserPolicyTest {
    private static FederatedGraph graph;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), """
                cors:
                  origins: [https://app.example]
                  allow_credentials: true
                  max_age: 5m
                """));
        graph = new FederatedGraph(config);
    }

    @AfterAll
    static void stop() {
        graph.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return graph.client.send(request);
    }

    private static HttpRequest.Builder request(String query) {
        return graph.client.request(query == null ? "" : "?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    }

    @Test
    void anAllowedOriginMayReadAnswersAndPreflight() throws Exception {
        HttpResponse<String> answer = send(request(null).header("origin", "https://app.example").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __typename }\"}")));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example");
        assertThat(answer.headers().firstValue("access-control-allow-credentials")).hasValue("true");
        assertThat(answer.headers().firstValue("vary")).hasValue("Origin");

        HttpResponse<String> preflight = send(request(null).header("origin", "https://app.example")
                .header("access-control-request-method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-methods")).hasValueSatisfying(v -> assertThat(v).contains("POST"));
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).hasValueSatisfying(v -> assertThat(v).contains("authorization"));
        assertThat(preflight.headers().firstValue("access-control-max-age")).hasValue("300");
    }

    @Test
    void anotherOriginGetsNoGrant() throws Exception {
        HttpResponse<String> answer = send(request(null).header("origin", "https://evil.example").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __typename }\"}")));
        assertThat(answer.headers().firstValue("access-control-allow-origin")).isEmpty();
        HttpResponse<String> preflight = send(request(null).header("origin", "https://evil.example")
                .header("access-control-request-method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.statusCode()).isEqualTo(403);
    }

    @Test
    void simpleRequestsWithoutAPreflightHeaderAreBlockedAsCsrf() throws Exception {
        long before = graph.totalSubgraphRequests();
        HttpResponse<String> formPost = send(request(null).header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ me { username } }\"}")));
        assertThat(formPost.statusCode()).isEqualTo(400);
        assertThat(formPost.body()).contains("CSRF_PREVENTED").contains("apollo-require-preflight");
        HttpResponse<String> plainGet = send(request("{ me { username } }").GET());
        assertThat(plainGet.statusCode()).isEqualTo(400);
        assertThat(graph.totalSubgraphRequests()).isEqualTo(before);

        assertThat(send(request("{ __typename }").header("apollo-require-preflight", "true").GET()).statusCode()).isEqualTo(200);
        assertThat(send(request("{ __typename }").header("x-apollo-operation-name", "Ping").GET()).statusCode()).isEqualTo(200);
        assertThat(send(request(null).header("content-type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __typename }\"}"))).statusCode()).isEqualTo(200);
    }
}
