package dev.vestibule.tests.differential;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The differential tester's fault injection ({@code --fail-subgraphs}): one supergraph becomes one target per
 * subgraph, that subgraph's URL pointing here, where every request is answered HTTP 500 with a GraphQL error. Every
 * gateway asks the same failing subgraph, so their answers compare as usual (data, presence of errors, where the
 * references agree); and whatever the references do, an answer without any error while a subgraph Vestibule asked
 * failed is a silent failure ({@link Answer.Kind#SILENT_FAILURE}): every failure must surface as an error somewhere.
 */
final class FailingSubgraphs implements AutoCloseable {
    static final String BODY = "{\"errors\":[{\"message\":\"injected failure\"}]}";
    private static final Pattern GRAPH = Pattern.compile("@join__graph\\(name: \"([^\"]+)\", url: \"([^\"]*)\"\\)");

    private final HttpServer server;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong vestibuleRequests = new AtomicLong();

    FailingSubgraphs() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
            }
            requests.incrementAndGet();
            // Vestibule's calls go through OkHttp, which names itself; the references run on Node. Told apart, a
            // reference's call still in flight after it answered (Hive Gateway's, seen) is not counted as Vestibule's.
            String agent = exchange.getRequestHeaders().getFirst("user-agent");
            if (agent != null && agent.startsWith("okhttp/")) vestibuleRequests.incrementAndGet();
            byte[] answer = BODY.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(500, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Requests answered so far (every gateway's). */
    long requests() {
        return requests.get();
    }

    /** Requests Vestibule made so far (see the handler). */
    long vestibuleRequests() {
        return vestibuleRequests.get();
    }

    /**
     * One target per subgraph of {@code target}, named {@code <target>.<subgraph>-fails}, that subgraph's URL pointing
     * here; the others keep theirs.
     */
    List<DifferentialRunner.Target> each(DifferentialRunner.Target target) {
        List<DifferentialRunner.Target> failing = new ArrayList<>();
        Matcher graphs = GRAPH.matcher(target.supergraphSdl());
        while (graphs.find()) {
            String subgraph = graphs.group(1);
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/" + target.name() + "/" + subgraph;
            String sdl = target.supergraphSdl().substring(0, graphs.start(2)) + url + target.supergraphSdl().substring(graphs.end(2));
            failing.add(new DifferentialRunner.Target(target.name() + "." + subgraph + "-fails", sdl));
        }
        return failing;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
