package dev.vestibule.router.composition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The oracle of the differential test: Apollo's {@code @apollo/composition} from npm, installed once into a cache
 * folder outside the repository ({@code ~/.cache/vestibule}, or {@code -Dvestibule.cache=DIR}) and run with Node.
 */
final class ApolloComposition {
    static final String VERSION = "2.14.4";
    private static final String GRAPHQL_VERSION = "16.15.0";

    record Outcome(String supergraph, List<String> errorCodes, List<String> errorMessages) {
        boolean composed() {
            return supergraph != null;
        }
    }

    private ApolloComposition() {}

    static boolean available() {
        return run(List.of("node", "--version")) && run(List.of("npm", "--version"));
    }

    /** Composes every case in one Node process; the result maps each case name to Apollo's outcome. */
    static Map<String, Outcome> compose(Map<String, List<SubgraphSource>> cases) throws IOException, InterruptedException {
        Path folder = install();
        ObjectMapper json = new ObjectMapper();
        List<Map<String, Object>> input = new ArrayList<>();
        cases.forEach((name, subgraphs) -> input.add(Map.of("name", name, "subgraphs", subgraphs.stream()
                .map(s -> Map.of("name", s.name(), "url", s.url(), "sdl", s.sdl())).toList())));
        Path in = Files.createTempFile("compose-in", ".json");
        Path out = Files.createTempFile("compose-out", ".json");
        try {
            json.writeValue(in.toFile(), input);
            Process process = new ProcessBuilder("node", folder.resolve("apollo-compose.mjs").toString())
                    .directory(folder.toFile()).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("node apollo-compose.mjs failed (exit " + process.exitValue() + ")");
            }
            Map<String, Outcome> outcomes = new LinkedHashMap<>();
            for (JsonNode result : json.readTree(out.toFile())) {
                List<String> codes = new ArrayList<>();
                List<String> messages = new ArrayList<>();
                result.path("errors").forEach(e -> {
                    codes.add(e.path("code").asText());
                    messages.add(e.path("message").asText());
                });
                String supergraph = result.hasNonNull("supergraph") ? result.get("supergraph").asText() : null;
                outcomes.put(result.get("name").asText(), new Outcome(supergraph, codes, messages));
            }
            return outcomes;
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    static String lastSupergraph;

    /** Times Apollo's composition of one graph (cold, then the median of {@code warmRuns}) in a Node process. */
    static Map<String, Double> time(List<SubgraphSource> graph, int warmRuns) throws IOException, InterruptedException {
        Path folder = install();
        try (InputStream script = ApolloComposition.class.getResourceAsStream("/composition/apollo-compose-bench.mjs")) {
            Files.copy(script, folder.resolve("apollo-compose-bench.mjs"), StandardCopyOption.REPLACE_EXISTING);
        }
        ObjectMapper json = new ObjectMapper();
        Path in = Files.createTempFile("bench-in", ".json");
        Path out = Files.createTempFile("bench-out", ".json");
        try {
            json.writeValue(in.toFile(), List.of(Map.of("name", "bench", "subgraphs", graph.stream()
                    .map(s -> Map.of("name", s.name(), "url", s.url(), "sdl", s.sdl())).toList())));
            Process process = new ProcessBuilder("node", "--max-old-space-size=8192", folder.resolve("apollo-compose-bench.mjs").toString(),
                    Integer.toString(warmRuns)).directory(folder.toFile()).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!process.waitFor(60, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("node apollo-compose-bench.mjs failed");
            }
            JsonNode result = json.readTree(out.toFile());
            lastSupergraph = result.get("supergraph").asText();
            System.setProperty("bench.node", result.get("node").asText());
            return Map.of("cold", result.get("cold").asDouble(), "warm", result.get("warm").asDouble());
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    /** npm-installs the pinned packages into the cache once (into a temporary folder, then renamed into place). */
    private static synchronized Path install() throws IOException, InterruptedException {
        Path cache = Path.of(System.getProperty("vestibule.cache", System.getProperty("user.home") + "/.cache/vestibule"));
        Path folder = cache.resolve("apollo-composition-" + VERSION);
        if (!Files.exists(folder.resolve("node_modules/@apollo/composition/package.json"))) {
            Files.createDirectories(cache);
            Path staging = Files.createTempDirectory(cache, "staging-");
            Files.writeString(staging.resolve("package.json"), "{\"name\":\"vestibule-oracle\",\"private\":true,\"type\":\"module\"}");
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                    "@apollo/composition@" + VERSION, "graphql@" + GRAPHQL_VERSION)
                    .directory(staging.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm install @apollo/composition@" + VERSION + " failed in " + staging);
            }
            if (!Files.exists(folder)) {
                try {
                    Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    if (!Files.exists(folder)) throw raced;
                }
            }
        }
        try (InputStream script = ApolloComposition.class.getResourceAsStream("/composition/apollo-compose.mjs")) {
            Files.copy(script, folder.resolve("apollo-compose.mjs"), StandardCopyOption.REPLACE_EXISTING);
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
