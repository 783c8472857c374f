package dev.vestibule.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.SubgraphServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault, set through the admin endpoint, does what a router's partial-failure tests expect of it. */
class FaultInjectionTest {
    private static final String QUERY = "{ topProducts(first: 1) { upc } }";
    private SubgraphServer products;

    @BeforeEach
    void start() {
        products = SampleSubgraphs.start("products", 0, FaultSettings.NONE);
    }

    @AfterEach
    void stop() {
        products.close();
    }

    private HttpResponse<String> put(String json) throws Exception {
        return GraphQLClient.send(HttpRequest.newBuilder(URI.create(products.baseUrl() + "/admin/faults"))
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> ask(Duration timeout) throws Exception {
        return GraphQLClient.post(products.url(), QUERY, Map.of(), timeout);
    }

    @Test
    void healthyByDefault() throws Exception {
        HttpResponse<String> response = ask(Duration.ofSeconds(5));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(GraphQLClient.JSON.readTree(response.body()).at("/data/topProducts/0/upc").isTextual()).isTrue();
    }

    @Test
    void latencyDelaysEveryAnswer() throws Exception {
        assertThat(put("{\"latencyMinMs\": 300, \"latencyMaxMs\": 300}").statusCode()).isEqualTo(200);
        long start = System.nanoTime();
        assertThat(ask(Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void graphqlErrors() throws Exception {
        put("{\"errorRate\": 1}");
        HttpResponse<String> response = ask(Duration.ofSeconds(5));
        JsonNode body = GraphQLClient.JSON.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body.get("data").isNull()).isTrue();
        assertThat(body.at("/errors/0/extensions/code").asText()).isEqualTo("INJECTED_ERROR");
    }

    @Test
    void http500() throws Exception {
        put("{\"http500Rate\": 1}");
        assertThat(ask(Duration.ofSeconds(5)).statusCode()).isEqualTo(500);
    }

    @Test
    void hangNeverAnswers() throws Exception {
        put("{\"hangRate\": 1}");
        assertThatThrownBy(() -> ask(Duration.ofMillis(500))).isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void disconnectCutsTheResponseShort() throws Exception {
        put("{\"disconnectRate\": 1}");
        assertThatThrownBy(() -> ask(Duration.ofSeconds(5))).isInstanceOf(IOException.class);
    }

    @Test
    void invalidJsonBody() throws Exception {
        put("{\"invalidJsonRate\": 1}");
        HttpResponse<String> response = ask(Duration.ofSeconds(5));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThatThrownBy(() -> GraphQLClient.JSON.readTree(response.body())).isInstanceOf(IOException.class);
    }

    @Test
    void ratesMixFaultsWithHealthyAnswers() throws Exception {
        put("{\"http500Rate\": 0.5}");
        int failures = 0;
        for (int i = 0; i < 200; i++) if (ask(Duration.ofSeconds(5)).statusCode() == 500) failures++;
        assertThat(failures).isBetween(50, 150); // 200 draws at 0.5: far outside 6 standard deviations otherwise
    }

    @Test
    void badFaultSettingsAreRejectedAndKeepTheOldOnes() throws Exception {
        put("{\"latencyMinMs\": 5, \"latencyMaxMs\": 5}");
        HttpResponse<String> rejected = put("{\"errorRate\": 2}");
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.body()).contains("errorRate must be between 0 and 1");
        assertThat(put("{\"nope\": 1}").body()).contains("Unrecognized field \\\"nope\\\"");
        assertThat(products.faults().latencyMinMs()).isEqualTo(5);
        HttpResponse<String> cleared = GraphQLClient.send(HttpRequest.newBuilder(URI.create(products.baseUrl() + "/admin/faults"))
                .DELETE().build());
        assertThat(cleared.statusCode()).isEqualTo(200);
        assertThat(products.faults()).isEqualTo(FaultSettings.NONE);
    }

    @Test
    void requestLogIsReadableOverHttp() throws Exception {
        ask(Duration.ofSeconds(5));
        ask(Duration.ofSeconds(5));
        JsonNode log = GraphQLClient.JSON.readTree(GraphQLClient.send(HttpRequest.newBuilder(
                URI.create(products.baseUrl() + "/admin/requests")).GET().build()).body());
        assertThat(log.get("total").asInt()).isEqualTo(2);
        assertThat(log.at("/requests/1/query").asText()).isEqualTo(QUERY);
        assertThat(log.at("/requests/1/sequence").asInt()).isEqualTo(2);
        GraphQLClient.send(HttpRequest.newBuilder(URI.create(products.baseUrl() + "/admin/requests")).DELETE().build());
        assertThat(products.requestLog().totalCount()).isZero();
    }
}
