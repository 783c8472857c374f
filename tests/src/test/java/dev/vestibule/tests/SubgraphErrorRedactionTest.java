package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.subgraph.SubgraphClient;
import dev.vestibule.samples.server.FaultSettings;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 21 #6: a failed subgraph call reaches the client as the subgraph's name and a code, never as its address.
 * Every way a call can fail is attacked over real sockets (HTTP 500, a body that is not JSON, a connection cut
 * mid-answer, a hang past the timeout, a port where nothing listens, bytes that are not HTTP), with subgraph errors
 * masked and exposed: no answer carries an address, a URL, a port or a Java exception, and the log has the details.
 */
class SubgraphErrorRedactionTest {

    /** One way to fail: how to set it up, what to ask, which subgraph fails and with which code. */
    private record Attack(String name, String subgraph, String code, String query) {}

    private static final String RATING = "{ topProducts(first: 2) { name averageRating } }";
    private static final List<Attack> ATTACKS = List.of(
            new Attack("HTTP 500", "reviews", "SUBGRAPH_HTTP_ERROR", RATING),
            new Attack("invalid JSON", "reviews", "SUBGRAPH_INVALID_RESPONSE", RATING),
            new Attack("connection cut mid-answer", "reviews", "SUBGRAPH_UNREACHABLE", RATING),
            new Attack("hang past the timeout", "inventory", "SUBGRAPH_TIMEOUT", "{ topProducts(first: 2) { name margin } }"),
            new Attack("connection refused", "accounts", "SUBGRAPH_UNREACHABLE", "{ me { username } topProducts(first: 2) { name } }"),
            new Attack("not HTTP", "media", "SUBGRAPH_UNREACHABLE", "{ topProducts(first: 2) { name coverImage { url } } }"));

    /** What no client answer may hold (besides the subgraphs' ports, checked apart). */
    private static final List<String> LEAKS = List.of("127.0.0.1", "localhost", "http://", "https://", "/graphql",
            "Exception", "java.", "okhttp", "okio", "kotlin", "Failed to connect", "unexpected end of stream", "status line");

    @Test
    void maskedSubgraphErrorsNameTheSubgraphNotItsAddress() throws Exception {
        attackEveryFault(false);
    }

    @Test
    void exposedSubgraphErrorsStillNeverCarryAnAddress() throws Exception {
        attackEveryFault(true);
    }

    /**
     * A header a rule propagates, with a value HTTP/1.1 clients refuse to send (a character outside printable ASCII):
     * the subgraph call cannot be made, which costs that call's fields, not the request, and says nothing of why in
     * the answer (it was HTTP 500 with OkHttp's exception and the value in it).
     */
    @Test
    void aHeaderValueThatCannotBeForwardedCostsTheFetchAndTellsNoInternals(@TempDir Path dir) throws Exception {
        RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), """
                headers:
                  subgraphs:
                    reviews:
                      - propagate: { named: x-note }
                """));
        try (MixedGraph graph = new MixedGraph(RouterSettings.DEFAULTS, Map.of(), config.edgePolicy())) {
            byte[] body = FederatedGraph.JSON.writeValueAsBytes(Map.of("query", RATING));
            String raw;
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), graph.server.port())) {
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                        + "accept: application/json\r\nconnection: close\r\ncontent-length: " + body.length + "\r\nx-note: caf")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[] {(byte) 0xc3, (byte) 0xa9}); // "é" in UTF-8
                out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(raw).startsWith("HTTP/1.1 200");
            JsonNode answer = FederatedGraph.JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
            assertThat(answer.at("/data/topProducts/0/name").isTextual()).as(raw).isTrue();
            JsonNode error = failureOf(answer, "reviews");
            assertThat(error).as(raw).isNotNull();
            assertThat(error.at("/extensions/code").asText()).isEqualTo("SUBGRAPH_INVALID_REQUEST");
            for (String leak : LEAKS) assertThat(raw).doesNotContainIgnoringCase(leak);
            assertThat(raw).doesNotContain("caf").doesNotContain("x-note");
        }
    }

    private static void attackEveryFault(boolean expose) throws Exception {
        int deadPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = probe.getLocalPort(); // closed at once: nothing listens there any more
        }
        String deadUrl = "http://127.0.0.1:" + deadPort + "/graphql";
        Captured log = Captured.attach();
        try (TinyHttpServer garbage = new TinyHttpServer(new TinyHttpServer.Behaviour.Garbage(
                     "SSH-2.0-OpenSSH_9.6 not http at all\r\n\r\n"));
             MixedGraph graph = new MixedGraph(RouterSettings.DEFAULTS.withSubgraphTimeout(Duration.ofSeconds(3))
                     .withExposeSubgraphErrors(expose), Map.of("accounts", deadUrl, "media", garbage.url()))) {
            List<Integer> ports = new ArrayList<>(List.of(deadPort, garbage.port()));
            graph.subgraphs.servers().forEach(s -> ports.add(s.port()));
            Map<String, String> urls = Map.of("accounts", deadUrl, "media", garbage.url(),
                    "reviews", graph.subgraphs.get("reviews").url(), "inventory", graph.subgraphs.get("inventory").url());
            // a first request warms the router and the healthy subgraphs up (a cold start on a busy machine can take
            // longer than the hung call's timeout, which must be the only one to run out)
            assertThat(graph.query("{ topProducts(first: 2) { name } }").statusCode()).isEqualTo(200);
            for (Attack attack : ATTACKS) {
                graph.subgraphs.servers().forEach(s -> s.setFaults(FaultSettings.NONE));
                switch (attack.name()) {
                    case "HTTP 500" -> graph.subgraphs.get("reviews").setFaults(FaultSettings.NONE.withHttp500Rate(1));
                    case "invalid JSON" -> graph.subgraphs.get("reviews").setFaults(FaultSettings.NONE.withInvalidJsonRate(1));
                    case "connection cut mid-answer" -> graph.subgraphs.get("reviews").setFaults(FaultSettings.NONE.withDisconnectRate(1));
                    case "hang past the timeout" -> graph.subgraphs.get("inventory").setFaults(FaultSettings.NONE.withHangRate(1));
                    default -> { } // the dead port and the garbage server fail by themselves
                }
                HttpResponse<String> response = graph.query(attack.query());
                String body = response.body();
                String what = attack.name() + " (expose_subgraph_errors: " + expose + "): " + body;
                assertThat(response.statusCode()).as(what).isEqualTo(200);
                JsonNode answer = FederatedGraph.JSON.readTree(body);
                assertThat(answer.at("/data/topProducts/0/name").isTextual()).as(what).isTrue(); // the others still answer
                JsonNode error = failureOf(answer, attack.subgraph());
                assertThat(error).as(what).isNotNull();
                assertThat(error.at("/extensions/code").asText()).as(what).isEqualTo(attack.code());
                assertThat(error.get("message").asText()).as(what).contains("'" + attack.subgraph() + "'");
                for (String leak : LEAKS) assertThat(body).as(what).doesNotContainIgnoringCase(leak);
                String errors = answer.get("errors").toString();
                for (int port : ports) assertThat(errors).as(what).doesNotContain(String.valueOf(port));
                // the operator still learns where and why: the URL and the exception are in the log
                String url = urls.get(attack.subgraph());
                assertThat(log.lines()).as(what).anyMatch(line -> line.contains(url) && line.contains(attack.code()));
            }
        } finally {
            log.stop();
        }
    }

    /** The error the router wrote for the failed call to {@code subgraph} (not one the subgraph wrote itself). */
    private static JsonNode failureOf(JsonNode answer, String subgraph) {
        for (JsonNode error : answer.path("errors")) {
            if (subgraph.equals(error.at("/extensions/serviceName").asText())
                    && error.at("/extensions/code").asText().startsWith("SUBGRAPH_")) {
                return error;
            }
        }
        return null;
    }

    /** The subgraph client's log lines while a test runs (the appender is called from the router's threads). */
    private static final class Captured extends AppenderBase<ILoggingEvent> {
        private final Queue<String> lines = new ConcurrentLinkedQueue<>();
        private final Logger logger = (Logger) LoggerFactory.getLogger(SubgraphClient.class);

        static Captured attach() {
            Captured captured = new Captured();
            captured.start();
            captured.logger.addAppender(captured);
            return captured;
        }

        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getFormattedMessage());
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void stop() {
            logger.detachAppender(this);
            super.stop();
        }
    }
}
