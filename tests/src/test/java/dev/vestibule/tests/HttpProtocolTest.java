package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.http.ServerSettings;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GraphQL over HTTP at the router's door: bad requests get a clear error and never reach a subgraph. */
class HttpProtocolTest {
    private static final String GRAPHQL_RESPONSE = "application/graphql-response+json";
    private static final long BODY_LIMIT = 4_096;

    @RegisterExtension
    static final FederatedGraph graph = FederatedGraph.forClass(RouterSettings.DEFAULTS, ServerSettings.DEFAULTS.withMaxBodyBytes(BODY_LIMIT));

    @AfterEach
    void nothingReachedASubgraph() {
        assertThat(graph.totalSubgraphRequests()).as("requests that reached subgraphs").isZero();
    }

    private static JsonNode body(HttpResponse<String> response) throws Exception {
        return FederatedGraph.JSON.readTree(response.body());
    }

    @Test
    void syntaxErrorWithItsLocation() throws Exception {
        HttpResponse<String> response = graph.post("{ me { username }", null, Map.of(), GRAPHQL_RESPONSE);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith(GRAPHQL_RESPONSE);
        JsonNode error = body(response).at("/errors/0");
        assertThat(error.at("/extensions/code").asText()).isEqualTo("GRAPHQL_PARSE_FAILED");
        assertThat(error.at("/locations/0/line").asInt()).isEqualTo(1);
        // legacy application/json: a well-formed HTTP request is answered 200 with the same errors
        HttpResponse<String> legacy = graph.post("{ me { username }", null, Map.of(), "application/json");
        assertThat(legacy.statusCode()).isEqualTo(200);
        assertThat(body(legacy).at("/errors/0/extensions/code").asText()).isEqualTo("GRAPHQL_PARSE_FAILED");
    }

    @Test
    void validationError() throws Exception {
        HttpResponse<String> response = graph.post("{ me { nickname } }", null, Map.of(), GRAPHQL_RESPONSE);
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = body(response).at("/errors/0");
        assertThat(error.get("message").asText()).contains("nickname");
        assertThat(error.at("/extensions/code").asText()).isEqualTo("GRAPHQL_VALIDATION_FAILED");
        assertThat(error.at("/locations/0/line").asInt()).isEqualTo(1);
    }

    @Test
    void unknownOperationName() throws Exception {
        HttpResponse<String> response = graph.post("query A { me { id } } query B { me { email } }", "C", Map.of(), GRAPHQL_RESPONSE);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(body(response).at("/errors/0/message").asText()).contains("unknown operation named \"C\"");
        HttpResponse<String> ambiguous = graph.post("query A { me { id } } query B { me { email } }", null, Map.of(), GRAPHQL_RESPONSE);
        assertThat(body(ambiguous).at("/errors/0/message").asText()).contains("operationName");
    }

    @Test
    void missingOrWronglyTypedVariables() throws Exception {
        String query = "query($id: ID!, $first: Int) { user(id: $id) { reviews(first: $first) { id } } }";
        HttpResponse<String> missing = graph.post(query, null, Map.of(), GRAPHQL_RESPONSE);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(body(missing).at("/errors/0/message").asText()).contains("id");
        HttpResponse<String> wrong = graph.post(query, null, Map.of("id", "u1", "first", "many"), GRAPHQL_RESPONSE);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(body(wrong).at("/errors/0/extensions/code").asText()).isEqualTo("BAD_USER_INPUT");
    }

    @Test
    void bodyThatIsNotJson() throws Exception {
        HttpResponse<String> response = graph.postRaw("query { me { id } }", "application/json");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(body(response).at("/errors/0/message").asText()).startsWith("the request body is not a JSON object");
        HttpResponse<String> noQuery = graph.postRaw("{\"variables\": {}}", GRAPHQL_RESPONSE);
        assertThat(noQuery.statusCode()).isEqualTo(400);
    }

    @Test
    void bodyOverTheLimit() throws Exception {
        String big = "{ me { id } }" + " ".repeat((int) BODY_LIMIT);
        HttpResponse<String> response = graph.post(big, null, Map.of(), GRAPHQL_RESPONSE);
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void mutationsAreRefusedOverGet() throws Exception {
        String mutation = "mutation { addReview(input: {productUpc: \"100001\", authorId: \"u1\", rating: 5, body: \"x\"}) { id } }";
        HttpResponse<String> response = graph.get("query=" + URLEncoder.encode(mutation, StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void aMalformedQueryStringIsABadRequest() throws Exception {
        // java.net.http refuses to send such a URI: a raw HTTP/1.1 exchange over a socket
        try (Socket socket = new Socket("127.0.0.1", graph.server.port())) {
            socket.getOutputStream().write(("GET /graphql?query=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "apollo-require-preflight: true\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("BAD_REQUEST");
        }
        assertThat(graph.totalSubgraphRequests()).isZero();
    }

    @Test
    void queriesWorkOverGet() throws Exception {
        HttpResponse<String> response = graph.get("query=" + URLEncoder.encode("{ __typename }", StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).at("/data/__typename").asText()).isEqualTo("Query");
    }

    @Test
    void healthAndReadinessAndNothingElse() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Function<String, HttpRequest.Builder> at = path ->
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + graph.server.port() + path));
        HttpResponse<String> health = client.send(at.apply("/health").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(body(health).at("/status").asText()).isEqualTo("UP");
        HttpResponse<String> ready = client.send(at.apply("/ready").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(body(ready).at("/status").asText()).isEqualTo("READY");
        HttpResponse<String> posted = client.send(at.apply("/health").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(405);
        assertThat(posted.headers().firstValue("allow")).hasValue("GET, HEAD");
        HttpResponse<String> missing = client.send(at.apply("/graphq%22l").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(body(missing).at("/errors/0/message").asText()).contains("/graphql");
    }
}
