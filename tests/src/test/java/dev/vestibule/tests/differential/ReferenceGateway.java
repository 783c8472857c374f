package dev.vestibule.tests.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.tests.testkit.NpmCache;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A reference gateway in a Node process: Apollo Gateway or Hive Gateway, npm-installed at pinned versions once into a
 * cache folder outside the repository ({@code ~/.cache/vestibule}, or {@code -Dvestibule.cache=DIR}), as the
 * composition oracle is. The process ({@code differential/reference-gateway.mjs}) holds one gateway per loaded
 * supergraph and answers over HTTP on 127.0.0.1.
 */
public final class ReferenceGateway implements AutoCloseable {
    private static final String GRAPHQL_VERSION = "16.13.1";

    /** The references, at the versions the audit's reference runs use. */
    public enum Kind {
        APOLLO("apollo", "Apollo Gateway", "apollo-gateway-2.14.1", "@apollo/gateway",
                List.of("@apollo/gateway@2.14.1", "@apollo/server@5.5.1", "graphql@" + GRAPHQL_VERSION)),
        HIVE("hive", "Hive Gateway", "hive-gateway-2.10.4", "@graphql-hive/gateway",
                List.of("@graphql-hive/gateway@2.10.4", "graphql@" + GRAPHQL_VERSION));

        final String id;
        final String title;
        final String folder;
        final String mainPackage;
        final List<String> packages;

        Kind(String id, String title, String folder, String mainPackage, List<String> packages) {
            this.id = id;
            this.title = title;
            this.folder = folder;
            this.mainPackage = mainPackage;
            this.packages = packages;
        }

        public String id() {
            return id;
        }

        public String title() {
            return title;
        }

        public static Kind of(String id) {
            for (Kind kind : values()) if (kind.id.equals(id)) return kind;
            throw new IllegalArgumentException("unknown reference gateway " + id + " (apollo, hive)");
        }
    }

    /**
     * The reference gave no GraphQL answer: its process died (Hive Gateway 2.10.4 dies of an uncaught TypeError on
     * some operations), it did not answer within the timeout, or the gateway threw instead of answering (HTTP 500
     * from the harness). {@code restarted}: the process was started again and its supergraphs loaded again.
     */
    public static final class NoAnswer extends Exception {
        private final boolean restarted;

        NoAnswer(String message, boolean restarted) {
            super(message);
            this.restarted = restarted;
        }

        public boolean restarted() {
            return restarted;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
    private final Kind kind;
    /** The Node process and its port: replaced when the process died or hung ({@link #restart}). */
    private Process process;
    private int port;
    /** The supergraphs loaded, by name, in order: loaded again into a restarted process. */
    private final Map<String, String> loaded = new LinkedHashMap<>();
    private int restarts;

    private ReferenceGateway(Kind kind, Process process, int port) {
        this.kind = kind;
        this.process = process;
        this.port = port;
    }

    public Kind kind() {
        return kind;
    }

    /** Node and npm are on the PATH. */
    public static boolean available() {
        return run(List.of("node", "--version")) && run(List.of("npm", "--version"));
    }

    public static ReferenceGateway start(Kind kind) throws IOException, InterruptedException {
        Process process = launch(kind);
        return new ReferenceGateway(kind, process, portOf(kind, process));
    }

    private static Process launch(Kind kind) throws IOException, InterruptedException {
        Path folder = install(kind);
        Process process = new ProcessBuilder("node", folder.resolve("reference-gateway.mjs").toString(), kind.id)
                .directory(folder.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        // a tester stopped by a signal still stops its Node process (gateways may handle SIGTERM slowly or not at all)
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    /** Reads the process's "listening PORT" line, then keeps draining its stdout. */
    private static int portOf(Kind kind, Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("listening ")) {
            process.destroyForcibly();
            throw new IllegalStateException(kind.title + " did not start (node reference-gateway.mjs said: " + line + ")");
        }
        // keep draining stdout so that the gateway never blocks on a full pipe; on a platform thread: a virtual thread
        // blocked reading a pipe held one of the JVM's carriers for good, and with two references on a 2-core machine
        // both, so that Vestibule's server in this JVM (virtual threads) never ran again (a run hung in its first query)
        Thread.ofPlatform().daemon().name("drain-" + kind.id).start(() -> {
            try {
                while (out.readLine() != null) {
                    // the gateways' own logging is not needed
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        return Integer.parseInt(line.substring("listening ".length()).trim());
    }

    /** How many times the process was started again after it died or hung. */
    public int restarts() {
        return restarts;
    }

    /**
     * Stops the process (whatever state it is in) and starts a new one with the same supergraphs loaded, so that the
     * next operation is answered by a gateway in the state the last one would have been in.
     */
    public void restart() throws IOException, InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        process = launch(kind);
        port = portOf(kind, process);
        restarts++;
        for (Map.Entry<String, String> supergraph : loaded.entrySet()) {
            HttpResponse<String> response = post("load", supergraph.getKey(), supergraph.getValue(), Duration.ofMinutes(2));
            if (response.statusCode() != 200) {
                throw new IllegalStateException(kind.title + " restarted, but cannot load " + supergraph.getKey() + " again: " + response.body());
            }
        }
    }

    /** Starts this reference's gateway for a supergraph (its subgraph URLs must be live); fails with its error. */
    public void load(String name, String supergraphSdl) throws IOException, InterruptedException {
        if (!process.isAlive()) restart();
        HttpResponse<String> response = post("load", name, supergraphSdl, Duration.ofMinutes(2));
        if (response.statusCode() != 200) {
            throw new IllegalStateException(kind.title + " cannot load " + name + ": " + response.body());
        }
        loaded.put(name, supergraphSdl);
    }

    /**
     * Unloads a supergraph. A process that dies meanwhile (Hive Gateway 2.10.4 can die of an error in a subgraph call
     * it made after answering) is started again, with what it still has to hold, rather than failing the run.
     */
    public void unload(String name) throws IOException, InterruptedException {
        loaded.remove(name);
        if (!process.isAlive()) return;
        try {
            post("unload", name, "", Duration.ofSeconds(30));
        } catch (IOException died) {
            restart();
        }
    }

    /** Makes the Node process die of an uncaught error, as a gateway's bug does (for the tests of {@link #restart}). */
    void crash() throws IOException, InterruptedException {
        post("crash", "_", "", Duration.ofSeconds(10));
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * The gateway's GraphQL response to the operation, as JSON; {@link NoAnswer} when there is none. A process that
     * died or hung is started again before this returns, so the next operation finds a working gateway.
     */
    public JsonNode query(String name, String query, Map<String, Object> variables) throws NoAnswer, IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        HttpResponse<String> response;
        try {
            response = post("query", name, JSON.writeValueAsString(body), QUERY_TIMEOUT);
        } catch (IOException e) {
            // dead (connection reset or refused) or hung (HttpTimeoutException): wait a moment for a dying process to
            // be gone, so that its exit code can be told
            process.waitFor(2, TimeUnit.SECONDS);
            String why = process.isAlive()
                    ? "no answer (" + e.getClass().getSimpleName() + ") within " + QUERY_TIMEOUT.toSeconds() + " s"
                    : "the process died (exit code " + process.exitValue() + ")";
            restart();
            throw new NoAnswer(kind.title + ": " + why, true);
        }
        if (response.statusCode() != 200) {
            // the gateway threw instead of answering: the process lives on, but a dying one is replaced
            String firstLine = response.body().lines().findFirst().orElse("");
            boolean dead = !process.isAlive();
            if (dead) restart();
            throw new NoAnswer(kind.title + ": HTTP " + response.statusCode() + " from the harness: "
                    + firstLine.substring(0, Math.min(300, firstLine.length())), dead);
        }
        return JSON.readTree(response.body());
    }

    /**
     * Microseconds from sending an operation (a GraphQL request's JSON) to having read the gateway's answer, as
     * {@code DifferentialRunner} times Vestibule; -1 without an answer (a dead process is started again).
     */
    long time(String name, String requestJson) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/query/" + URLEncoder.encode(name, StandardCharsets.UTF_8)))
                .timeout(QUERY_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(requestJson)).build();
        long start = System.nanoTime();
        boolean replace;
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            long micros = (System.nanoTime() - start) / 1_000;
            if (response.statusCode() == 200) return micros;
            replace = !process.isAlive();
        } catch (IOException e) {
            replace = true; // dead or hung, as in query
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        if (replace) {
            try {
                restart();
            } catch (IOException | InterruptedException | IllegalStateException e) {
                // the next query tries again
            }
        }
        return -1;
    }

    private HttpResponse<String> post(String action, String name, String body, Duration timeout) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/" + action + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(timeout).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** npm-installs the pinned packages into the cache once (into a temporary folder, then renamed into place). */
    private static synchronized Path install(Kind kind) throws IOException, InterruptedException {
        // Hive Gateway brings some 900 packages: minutes on a slow registry
        Path folder = NpmCache.install(kind.folder, kind.mainPackage, kind.packages, Duration.ofMinutes(20));
        try (InputStream script = ReferenceGateway.class.getResourceAsStream("/differential/reference-gateway.mjs")) {
            Files.copy(script, folder.resolve("reference-gateway.mjs"), StandardCopyOption.REPLACE_EXISTING);
        }
        return folder;
    }

    private static boolean run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
