package dev.vestibule.router.supergraph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.composition.BigSupergraphs;
import dev.vestibule.router.composition.SubgraphSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hot reload of a big supergraph under load (issue #28), run by {@code tests/bench/reload-bench.sh}: the router as
 * {@code ./vestibule serve --hot-reload true} runs it (a JVM of its own with {@code router/jvm.options}) on a generated
 * supergraph whose first subgraph is a real GraphQL server ({@link EntitySubgraph}); client threads send a mix of
 * operations that subgraph answers, each answer checked; the supergraph file is rewritten (a comment line appended,
 * so its content changes) several times, each time once the previous reload was announced and the clients ran on for
 * a while. Reported per reload: the router's own figures (loading the supergraph; building the new router and
 * planning the operations in use on it before the swap), the requests that started while it reloaded, how many failed
 * or answered wrongly, and their latency beside the latency outside reloads.
 *
 * <pre>
 *   --subgraphs N (200) --shape chain|cycle (chain) --clients N (4) --reloads N (3) --warmup S (20) --gap S (10)
 *   --java FILE (this JVM's) --jvm-options FILE (router/jvm.options) --out DIR (where the supergraph and log go)
 * </pre>
 */
public final class ReloadBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+/graphql)");
    private static final Pattern RELOADED = Pattern.compile("reloaded the supergraph .*loaded in (\\d+) ms, .*served after (\\d+) ms");

    /** One request: when it started and ended (nanoTime), and whether its answer was the right one. */
    private record Sample(long start, long end, boolean ok) {
        double millis() {
            return (end - start) / 1e6;
        }
    }

    /** A line of the router's output and when it was read. */
    private record Line(long at, String text) {}

    /** An operation of the mix: the root field, the fields selected under it. */
    private record Operation(int entity, List<String> fields) {
        String text(String id) {
            return "{ entity" + entity + "(id: \"" + id + "\") { id " + String.join(" ", fields) + " } }";
        }

        boolean answers(String body, String id) throws IOException {
            JsonNode answer = JSON.readTree(body);
            JsonNode entityNode = answer.path("data").path("entity" + entity);
            if (answer.has("errors") || !entityNode.path("id").asText().equals(id)) return false;
            if (fields.contains("name") && !entityNode.path("name").asText().equals("E" + entity + " " + id)) return false;
            if (fields.contains("score") && entityNode.path("score").asInt() != Integer.parseInt(id)) return false;
            return !fields.contains("next { id }") || entityNode.path("next").path("id").asText().equals(id + "-next");
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--subgraphs", "200", "--shape", "chain", "--clients", "4",
                "--reloads", "3", "--warmup", "20", "--gap", "10", "--java", ProcessHandle.current().info().command().orElse("java"),
                "--jvm-options", "router/jvm.options", "--out", "target/reload-bench"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!options.containsKey(args[i])) throw new IllegalArgumentException("unknown option " + args[i] + " (see ReloadBench's documentation)");
            options.put(args[i], args[i + 1]);
        }
        int subgraphs = Integer.parseInt(options.get("--subgraphs"));
        Path out = Files.createDirectories(Path.of(options.get("--out")));

        List<SubgraphSource> sources = new ArrayList<>(BigSupergraphs.sources(subgraphs, options.get("--shape")));
        try (EntitySubgraph subgraph = EntitySubgraph.serve(sources.getFirst().sdl())) {
            sources.set(0, new SubgraphSource(sources.getFirst().name(), subgraph.url(), sources.getFirst().sdl()));
            String sdl = BigSupergraphs.compose(sources);
            Path file = out.resolve("supergraph.graphql");
            Files.writeString(file, sdl);
            List<Operation> mix = mix(subgraphs);

            Process router = new ProcessBuilder(options.get("--java"), "@" + Path.of(options.get("--jvm-options")).toAbsolutePath(),
                    "-cp", System.getProperty("java.class.path"), "dev.vestibule.router.cli.RouterCli", "serve", "--supergraph",
                    file.toString(), "--port", "0", "--hot-reload", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
            BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(router.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                        lines.add(new Line(System.nanoTime(), text));
                        Files.writeString(out.resolve("router.log"), text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                } catch (IOException e) {
                    // the router ended
                }
            });
            try {
                String url = null;
                while (url == null) {
                    Line line = lines.poll(5, TimeUnit.MINUTES);
                    if (line == null) throw new IllegalStateException("the router did not start (" + out.resolve("router.log") + ")");
                    Matcher m = LISTENING.matcher(line.text());
                    if (m.find()) url = m.group(1);
                }
                run(url, file, sdl, mix, lines, Integer.parseInt(options.get("--clients")), Integer.parseInt(options.get("--reloads")),
                        Integer.parseInt(options.get("--warmup")), Integer.parseInt(options.get("--gap")), subgraphs, options.get("--shape"));
            } finally {
                router.destroy();
                if (!router.waitFor(30, TimeUnit.SECONDS)) router.destroyForcibly();
            }
        }
    }

    /** Every entity root field the first subgraph serves, with every subset of its other fields: distinct plans. */
    private static List<Operation> mix(int subgraphs) {
        List<String> optional = List.of("name", "score", "tags", "next { id }");
        List<Operation> mix = new ArrayList<>();
        for (int entity = 0; entity < subgraphs * 5 / 2; entity += subgraphs) {
            for (int subset = 0; subset < 1 << optional.size(); subset++) {
                List<String> fields = new ArrayList<>();
                for (int f = 0; f < optional.size(); f++) if ((subset & 1 << f) != 0) fields.add(optional.get(f));
                mix.add(new Operation(entity, fields));
            }
        }
        return mix;
    }

    private static void run(String url, Path file, String sdl, List<Operation> mix, BlockingQueue<Line> lines, int clientCount,
                            int reloads, int warmupSeconds, int gapSeconds, int subgraphs, String shape) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < clientCount; c++) {
            int first = c;
            clients.add(Thread.ofPlatform().start(() -> {
                for (int i = first; running.get(); i += clientCount) {
                    Operation operation = mix.get(i % mix.size());
                    String id = String.valueOf(ThreadLocalRandom.current().nextInt(1, 1000));
                    long start = System.nanoTime();
                    boolean ok;
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", operation.text(id))))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        ok = response.statusCode() == 200 && operation.answers(response.body(), id);
                    } catch (IOException | RuntimeException e) {
                        ok = false;
                    } catch (InterruptedException e) {
                        return;
                    }
                    samples.add(new Sample(start, System.nanoTime(), ok));
                }
            }));
        }
        Thread.sleep(warmupSeconds * 1000L);
        List<long[]> windows = new ArrayList<>();
        List<String> reported = new ArrayList<>();
        for (int r = 1; r <= reloads; r++) {
            Files.writeString(file, sdl + "\n# reload " + r + "\n");
            long written = System.nanoTime();
            while (true) {
                Line line = lines.poll(5, TimeUnit.MINUTES);
                if (line == null) throw new IllegalStateException("reload " + r + " was not announced within 5 minutes");
                if (line.text().contains("reload of") && line.text().contains("failed")) throw new IllegalStateException(line.text());
                Matcher m = RELOADED.matcher(line.text());
                if (m.find()) {
                    windows.add(new long[] {written, line.at()});
                    reported.add(m.group(1) + "\t" + m.group(2));
                    break;
                }
            }
            Thread.sleep(gapSeconds * 1000L);
        }
        running.set(false);
        for (Thread client : clients) client.join();

        List<Sample> all = new ArrayList<>(samples);
        System.out.printf("%d subgraphs (%s), %d clients, %d operations in the mix; %d requests, %d not answered rightly%n",
                subgraphs, shape, clientCount, mix.size(), all.size(), all.stream().filter(s -> !s.ok()).count());
        System.out.println("| reload | file written to served (s) | loading (ms) | new router + plans, to the swap (ms) | requests during it | wrong or failed | latency p50 / p99 / max during it (ms) |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
        for (int r = 0; r < windows.size(); r++) {
            long[] window = windows.get(r);
            List<Sample> during = all.stream().filter(s -> s.start() >= window[0] && s.start() <= window[1]).toList();
            String[] figures = reported.get(r).split("\t");
            System.out.printf("| %d | %.2f | %s | %s | %d | %d | %s |%n", r + 1, (window[1] - window[0]) / 1e9, figures[0], figures[1],
                    during.size(), during.stream().filter(s -> !s.ok()).count(), latencies(during));
        }
        long warmEnd = windows.isEmpty() ? Long.MAX_VALUE : windows.getFirst()[0];
        long settled = all.stream().mapToLong(Sample::start).min().orElse(0) + (warmEnd - all.stream().mapToLong(Sample::start).min().orElse(0)) / 2;
        List<Sample> steady = all.stream().filter(s -> s.start() >= settled && windows.stream().noneMatch(w -> s.end() >= w[0] && s.start() <= w[1]))
                .toList();
        System.out.printf("outside reloads (after the first half of the warm-up): %d requests, latency p50 / p99 / max %s ms%n", steady.size(),
                latencies(steady));
    }

    private static String latencies(List<Sample> samples) {
        if (samples.isEmpty()) return "-";
        double[] millis = samples.stream().mapToDouble(Sample::millis).sorted().toArray();
        return String.format("%.1f / %.1f / %.1f", millis[millis.length / 2], millis[(int) Math.min(millis.length - 1, Math.floor(millis.length * 0.99))],
                millis[millis.length - 1]);
    }
}
