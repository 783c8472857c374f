package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.subgraph.SubgraphCall;
import dev.vestibule.router.subgraph.SubgraphTransport;
import dev.vestibule.router.supergraph.SupergraphException;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 #5 (the router's half): a request that fails inside the router was answered 500 with "internal router
 * error: " and the Java exception, which can carry a claim, a header value, a subgraph address. Now the answer is a
 * generic message, a code and the request's id (also in the x-request-id header), and the details are in the log
 * under that id. No client input is known to trip an internal error any more (an unsendable header costs its fetch,
 * SUBGRAPH_INVALID_REQUEST; an unusable subgraph URL fails the supergraph's load), so a subgraph transport that fails
 * the way no code expects (an IllegalStateException whose text holds an address and a secret) stands in for the next
 * bug, over real sockets.
 */
class InternalErrorTest {
    private static final String QUERY = "{\"query\":\"{ me { username } }\"}";

    /** The raw answer to a POST of {@code QUERY} with, if given, an x-request-id. */
    private static String post(int port, String requestId) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            out.write(("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + (requestId == null ? "" : "x-request-id: " + requestId + "\r\n")
                    + "Content-Length: " + QUERY.length() + "\r\n\r\n" + QUERY).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A transport failing as no code expects, its text full of what a client must never see. */
    private static final SubgraphTransport BROKEN = new SubgraphTransport() {
        @Override
        public Reply send(SubgraphCall call) {
            throw new IllegalStateException("pool exhausted for " + call.url() + " (password=hunter2)");
        }

        @Override
        public void close() {}
    };

    private static String header(String answer, String name) {
        for (String line : answer.substring(0, answer.indexOf("\r\n\r\n")).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
        }
        return null;
    }

    private static JsonNode body(String answer) throws Exception {
        return FederatedGraph.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void anInternalFailureGetsAGenericAnswerWithTheRequestIdAndTheDetailsInTheLog() throws Exception {
        String sdl = Files.readString(Path.of("..", "schemas", "supergraph.graphql"));
        try (Router router = new Router(SupergraphLoader.load(sdl), RouterSettings.DEFAULTS, BROKEN);
             RouterServer server = RouterServer.start(router, RouterSettings.DEFAULTS, "127.0.0.1", 0);
             LogCapture log = new LogCapture()) {
            String answer = post(server.port(), null);
            assertThat(answer).startsWith("HTTP/1.1 500");
            String id = header(answer, "x-request-id");
            assertThat(id).isNotBlank();
            JsonNode error = body(answer).at("/errors/0");
            assertThat(error.at("/extensions/code").asText()).isEqualTo("INTERNAL_SERVER_ERROR");
            assertThat(error.at("/extensions/requestId").asText()).isEqualTo(id);
            assertThat(error.get("message").asText()).contains(id);
            // nothing of the exception, its values or the stack
            assertThat(answer).doesNotContain("Exception").doesNotContain("hunter2").doesNotContain("pool exhausted")
                    .doesNotContain("\tat ").doesNotContain("127.0.0.1:").doesNotContain("http://");
            // the details are in the log under that id
            assertThat(log.text()).contains("request " + id + " failed inside the router").contains("IllegalStateException");

            // a sane id from the client (or a proxy in front) is kept, so one id follows the request through every hop
            String kept = post(server.port(), "trace-4bf92f3577b34da6");
            assertThat(header(kept, "x-request-id")).isEqualTo("trace-4bf92f3577b34da6");
            assertThat(body(kept).at("/errors/0/extensions/requestId").asText()).isEqualTo("trace-4bf92f3577b34da6");
            assertThat(log.text()).contains("request trace-4bf92f3577b34da6 failed inside the router");
            // one that could forge log lines or is absurdly long is replaced
            String replaced = post(server.port(), "x".repeat(300));
            assertThat(header(replaced, "x-request-id")).hasSize(16).doesNotContain("xxxx");
        }
    }

    @Test
    void aSubgraphUrlTheRouterCannotCallFailsTheLoadNamingTheSubgraph() throws Exception {
        String sdl = Files.readString(Path.of("..", "schemas", "supergraph.graphql"))
                .replace("http://127.0.0.1:4001/graphql", "ftp://10.9.8.7:5103/graphql");
        assertThatThrownBy(() -> SupergraphLoader.load(sdl)).isInstanceOf(SupergraphException.class)
                .hasMessageContaining("the subgraph accounts has the URL 'ftp://10.9.8.7:5103/graphql', which the router cannot call");
    }

    @Test
    void everyAnswerCarriesItsRequestId() throws Exception {
        try (FederatedGraph graph = new FederatedGraph(RouterSettings.DEFAULTS)) {
            HttpResponse<String> ok = graph.postRaw(QUERY, "application/json");
            HttpResponse<String> bad = graph.postRaw("{not json", "application/json");
            assertThat(ok.headers().firstValue("x-request-id")).get().asString().hasSize(16);
            assertThat(bad.headers().firstValue("x-request-id")).get().asString().hasSize(16);
            assertThat(ok.headers().firstValue("x-request-id")).isNotEqualTo(bad.headers().firstValue("x-request-id"));
        }
    }
}
