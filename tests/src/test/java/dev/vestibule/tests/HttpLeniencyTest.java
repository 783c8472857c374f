package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.RouterSettings;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21 #14: a body sent as application/xml was executed; Jetty's own 400 and 431 answers were HTML; a query
 * padded with 1 MB of whitespace was refused as having "more than 15000 tokens".
 */
class HttpLeniencyTest {
    @RegisterExtension
    static final FederatedGraph graph = FederatedGraph.forClass(RouterSettings.DEFAULTS);

    private static HttpResponse<String> post(String contentType, String body) throws Exception {
        return graph.client.postTyped(contentType, body);
    }

    /** The raw answer to {@code request}, read until the router closes the connection. */
    private static String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", graph.server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode jsonBody(String answer) throws Exception {
        return FederatedGraph.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void aBodyThatIsNotDeclaredJsonGets415() throws Exception {
        for (String type : new String[] {"application/xml", "application/graphql", "text/xml; charset=utf-8"}) {
            HttpResponse<String> response = post(type, "{\"query\":\"{ me { username } }\"}");
            assertThat(response.statusCode()).as(type).isEqualTo(415);
            JsonNode error = FederatedGraph.JSON.readTree(response.body()).at("/errors/0");
            assertThat(error.at("/extensions/code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
            assertThat(error.get("message").asText()).contains("application/json");
        }
        assertThat(graph.totalSubgraphRequests()).as("requests that reached subgraphs").isZero();
        assertThat(post("application/json; charset=utf-8", "{\"query\":\"{ me { username } }\"}").statusCode()).isEqualTo(200);
        assertThat(post("Application/JSON", "{\"query\":\"{ me { username } }\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void jettysOwnRefusalsAreGraphQLJsonErrors() throws Exception {
        String malformed = raw("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n");
        assertThat(malformed).startsWith("HTTP/1.1 400");
        assertThat(malformed.toLowerCase()).contains("content-type: application/json").doesNotContain("<html");
        assertThat(jsonBody(malformed).at("/errors/0/extensions/code").asText()).isEqualTo("BAD_REQUEST");

        String hugeHeaders = raw("GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nx-big: " + "a".repeat(20_000)
                + "\r\napollo-require-preflight: true\r\n\r\n");
        assertThat(hugeHeaders).startsWith("HTTP/1.1 431");
        assertThat(hugeHeaders.toLowerCase()).contains("content-type: application/json").doesNotContain("<html");
        assertThat(jsonBody(hugeHeaders).at("/errors/0/extensions/code").asText()).isEqualTo("REQUEST_HEADER_FIELDS_TOO_LARGE");
        assertThat(jsonBody(hugeHeaders).at("/errors/0/message").asText()).contains("headers are too large");
    }

    @Test
    void whitespaceIsNotCountedAsTokens() throws Exception {
        String padded = "{ me { username } }" + " ".repeat(500_000) + "\n".repeat(250_000) + "\t".repeat(250_000);
        HttpResponse<String> response = post("application/json", FederatedGraph.JSON.writeValueAsString(Map.of("query", padded)));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(FederatedGraph.JSON.readTree(response.body()).at("/data/me/username").isTextual()).isTrue();

        HttpResponse<String> empty = post("application/json", FederatedGraph.JSON.writeValueAsString(Map.of("query", " ".repeat(1_000_000))));
        assertThat(empty.statusCode()).isEqualTo(200); // application/json: a request error is 200, as the spec says
        assertThat(FederatedGraph.JSON.readTree(empty.body()).at("/errors/0/message").asText()).startsWith("the query is empty");
    }
}
