package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.samples.server.FaultSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 #3, as an orchestrator meets it: a real router process (java -jar router/target/router.jar serve), 50
 * requests in flight to a subgraph answering in 1.5 s, a real SIGTERM 0.5 s later. Before, the process exited in
 * 0.48 s and none of the 50 was answered. Now /ready turns 503 at once, the listener serves on for the configured
 * delay, then stops accepting, the requests in flight finish, and the process exits 0.
 */
class GracefulShutdownTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String QUERY = "{\"query\":\"{ me { username } }\"}";
    /** Waits in the products subgraph for 6 s: in flight long after the listener has stopped accepting. */
    private static final String SLOW_QUERY = "{\"query\":\"{ topProducts(first: 1) { name } }\"}";

    @Test
    void sigtermAnswersEveryRequestInFlightThenExitsZero(@TempDir Path dir) throws Exception {
        try (SampleSubgraphs.Running subgraphs = SampleSubgraphs.startAll(0, FaultSettings.NONE)) {
            String sdl = Files.readString(ROOT.resolve("schemas/supergraph.graphql"));
            for (String name : SampleSubgraphs.names()) {
                sdl = sdl.replace("http://127.0.0.1:" + SampleSubgraphs.defaultPort(name, SampleSubgraphs.DEFAULT_BASE_PORT) + "/graphql",
                        subgraphs.get(name).url());
            }
            Path supergraph = Files.writeString(dir.resolve("supergraph.graphql"), sdl);
            // each of the 50 makes its own subgraph call (not one shared by identical queries), as distinct clients' would
            Path config = Files.writeString(dir.resolve("router.yaml"), """
                    router:
                      deduplication:
                        subgraph_queries: false
                    server:
                      shutdown:
                        delay: 500ms
                        grace_period: 30s
                    """);
            Path log = dir.resolve("router.log");
            Process router = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", ROOT.resolve("router/target/router.jar").toString(), "serve", "--supergraph", supergraph.toString(),
                    "--config", config.toString(), "--port", "0").redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long starting = System.nanoTime();
                int port = awaitPort(router, log);
                System.out.println("router started in " + (System.nanoTime() - starting) / 1_000_000 + " ms");
                String base = "http://127.0.0.1:" + port;
                assertThat(send(base + "/graphql", QUERY).statusCode()).as("warm-up").isEqualTo(200);
                subgraphs.servers().forEach(s -> s.requestLog().clear());

                subgraphs.get("accounts").setFaults(FaultSettings.NONE.withLatency(1_500, 1_500));
                subgraphs.get("products").setFaults(FaultSettings.NONE.withLatency(6_000, 6_000));
                List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
                for (int i = 0; i < 50; i++) inFlight.add(sendAsync(base + "/graphql", QUERY));
                CompletableFuture<HttpResponse<String>> slow = sendAsync(base + "/graphql", SLOW_QUERY);
                // in flight: every one has reached its subgraph (which logs it before its latency), then 0.5 s more
                long sending = System.nanoTime();
                while (subgraphs.get("accounts").requestLog().totalCount() < 50 || subgraphs.get("products").requestLog().totalCount() < 1) {
                    assertThat(System.nanoTime() - sending).as("the requests reach the subgraphs").isLessThan(Duration.ofSeconds(60).toNanos());
                    Thread.sleep(10);
                }
                Thread.sleep(500);

                long signalled = System.nanoTime();
                router.destroy(); // SIGTERM
                // /ready turns 503 at once (the bound is generous: a busy machine), while the listener still serves
                HttpResponse<String> ready = null;
                while (System.nanoTime() - signalled < Duration.ofSeconds(5).toNanos()) {
                    ready = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/ready")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (ready.statusCode() == 503) break;
                    Thread.sleep(20);
                }
                long readyMs = (System.nanoTime() - signalled) / 1_000_000;
                assertThat(ready.statusCode()).as("/ready after SIGTERM").isEqualTo(503);
                assertThat(ready.body()).contains("NOT_READY").contains("shutting down");

                // then it stops accepting, while the slow request is still in flight
                boolean refused = false;
                while (!refused && !slow.isDone() && System.nanoTime() - signalled < Duration.ofSeconds(6).toNanos()) {
                    try (Socket ignored = new Socket("127.0.0.1", port)) {
                        Thread.sleep(50);
                    } catch (ConnectException e) {
                        refused = true;
                    }
                }
                assertThat(refused).as("new connections refused after the delay, with requests still in flight").isTrue();

                int answered = 0;
                for (CompletableFuture<HttpResponse<String>> request : inFlight) {
                    HttpResponse<String> response = request.get(60, TimeUnit.SECONDS);
                    JsonNode body = FederatedGraph.JSON.readTree(response.body());
                    if (response.statusCode() == 200 && body.at("/data/me/username").isTextual() && !body.has("errors")) answered++;
                    else System.out.println("not answered: HTTP " + response.statusCode() + " " + response.body());
                }
                HttpResponse<String> slowAnswer = slow.get(60, TimeUnit.SECONDS);
                assertThat(router.waitFor(60, TimeUnit.SECONDS)).as("the router exited").isTrue();
                long exitMs = (System.nanoTime() - signalled) / 1_000_000;
                System.out.println("graceful shutdown: " + answered + " of 50 in-flight requests answered 200; /ready 503 after "
                        + readyMs + " ms; exit " + router.exitValue() + " after " + exitMs + " ms");
                assertThat(answered).as("in-flight requests answered 200 with data").isEqualTo(50);
                assertThat(slowAnswer.statusCode()).isEqualTo(200);
                assertThat(slowAnswer.body()).contains("\"name\"").doesNotContain("errors");
                assertThat(router.exitValue()).as("exit code").isZero();
                List<String> lines = Files.readAllLines(log);
                assertThat(lines).anyMatch(l -> l.contains("every request in flight was answered"));
            } finally {
                router.destroyForcibly();
            }
        }
    }

    /** The port from the router's first line, "vestibule router listening on http://127.0.0.1:PORT/graphql ...". */
    private static int awaitPort(Process router, Path log) throws IOException, InterruptedException {
        String prefix = "listening on http://127.0.0.1:";
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && router.isAlive()) {
            for (String line : Files.readAllLines(log)) {
                int at = line.indexOf(prefix);
                if (at >= 0) {
                    String rest = line.substring(at + prefix.length());
                    return Integer.parseInt(rest.substring(0, rest.indexOf('/')));
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the router did not start: " + Files.readString(log));
    }

    private static HttpRequest request(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> send(String url, String body) throws IOException, InterruptedException {
        return HTTP.send(request(url, body), HttpResponse.BodyHandlers.ofString());
    }

    private static CompletableFuture<HttpResponse<String>> sendAsync(String url, String body) {
        return HTTP.sendAsync(request(url, body), HttpResponse.BodyHandlers.ofString());
    }
}
