package dev.vestibule.tests.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.tests.Answers;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.subgraph.OkHttpTransport;
import dev.vestibule.router.subgraph.SubgraphCall;
import dev.vestibule.router.subgraph.SubgraphTransport;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Subgraph answers from a recording: the benchmark query's subgraph requests and the answers the benchmark's own
 * subgraphs (../shared/bench, memo mode) gave them, so that the in-process pipeline benchmark measures the router
 * without a network. A request not in the recording is answered HTTP 500 and counted as a miss.
 *
 * <p>Re-record after a planner change alters the subgraph requests (with the bench subgraphs on port 4200):
 * {@code tests/bench/jmh.sh --record http://127.0.0.1:4200}.
 */
public final class CannedSubgraphs implements SubgraphTransport {
    static final String RECORDING = "/bench/subgraph-answers.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request and its answer; {@code subgraph} is the last segment of the URL path (the bench's own layout). */
    public record Exchange(String subgraph, String request, String response) {}

    private final Map<String, byte[]> answers = new ConcurrentHashMap<>();
    private final AtomicLong misses = new AtomicLong();

    public CannedSubgraphs(List<Exchange> exchanges) {
        for (Exchange exchange : exchanges) {
            answers.put(key(exchange.subgraph(), exchange.request()), exchange.response().getBytes(StandardCharsets.UTF_8));
        }
    }

    public static CannedSubgraphs fromRecording() {
        try (InputStream in = CannedSubgraphs.class.getResourceAsStream(RECORDING)) {
            if (in == null) throw new IllegalStateException(RECORDING + " is missing; record it with tests/bench/jmh.sh --record URL");
            return new CannedSubgraphs(List.of(JSON.readValue(in, Exchange[].class)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resource(String name) {
        try (InputStream in = CannedSubgraphs.class.getResourceAsStream("/bench/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key(String subgraph, String request) {
        return subgraph + "\n" + request;
    }

    private static String subgraphOf(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Override
    public Reply send(SubgraphCall call) {
        byte[] answer = answers.get(key(subgraphOf(call.url()), new String(call.body(), StandardCharsets.UTF_8)));
        if (answer == null) {
            misses.incrementAndGet();
            return new Reply(500, "no canned answer".getBytes(StandardCharsets.UTF_8));
        }
        return new Reply(200, answer);
    }

    public long misses() {
        return misses.get();
    }

    @Override
    public void close() {}

    /** Records the benchmark query's exchanges against running bench subgraphs: {@code record BASE_URL [OUT_FILE]}. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !args[0].equals("record")) {
            System.err.println("usage: CannedSubgraphs record http://127.0.0.1:4200 [tests/src/test/resources" + RECORDING + "]");
            System.exit(2);
        }
        String base = args[1].replaceAll("/+$", "");
        Path out = Path.of(args.length > 2 ? args[2] : "tests/src/test/resources" + RECORDING);
        String sdl = resource("supergraph.graphql").replace("http://127.0.0.1:4200", base);
        List<Exchange> recorded = Collections.synchronizedList(new ArrayList<>());
        OkHttpTransport http = new OkHttpTransport(Duration.ofSeconds(30), 8, 4);
        SubgraphTransport recording = new SubgraphTransport() {
            @Override
            public Reply send(SubgraphCall call) throws IOException {
                Reply reply = http.send(call);
                recorded.add(new Exchange(subgraphOf(call.url()), new String(call.body(), StandardCharsets.UTF_8),
                        new String(reply.body(), StandardCharsets.UTF_8)));
                return reply;
            }

            @Override
            public void close() {
                http.close();
            }
        };
        try (Router router = new Router(SupergraphLoader.load(sdl), RouterSettings.DEFAULTS, recording)) {
            Map<String, Object> response = Answers.execute(router, new GraphQLRequest(resource("query.graphql"), null, null, null));
            if (response.containsKey("errors")) throw new IllegalStateException("the recording run has errors: " + response.get("errors"));
        }
        // a stable order, so that a re-recording without changes leaves the file as it was
        Map<String, Exchange> sorted = new TreeMap<>();
        for (Exchange exchange : recorded) sorted.put(key(exchange.subgraph(), exchange.request()), exchange);
        Files.createDirectories(out.toAbsolutePath().getParent());
        JSON.enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), sorted.values());
        System.out.println("recorded " + sorted.size() + " exchanges into " + out);
    }
}
