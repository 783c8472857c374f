package dev.vestibule.router.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vestibule.router.composition.CompositionResult.Failed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Composition never hangs and never throws: every input composes or is rejected with errors, in bounded time. The
 * bounds are generous (a busy shared machine); the times are printed as figures. A set with many @context types (some
 * with invalid names) once ran past 120 s; the fuzz part edits every corpus case at random (fixed seed).
 */
class CompositionRobustnessTest {
    /** Per input; a hang shows as a timeout, far above what any of these inputs needs (milliseconds). */
    private static final long BOUND_SECONDS = 60;
    private static ExecutorService executor;

    @BeforeAll
    static void start() {
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "compose-under-test");
            thread.setDaemon(true);
            return thread;
        });
    }

    @AfterAll
    static void stop() {
        executor.shutdownNow();
    }

    private static CompositionResult composeBounded(List<SubgraphSource> subgraphs, String what) throws Exception {
        Future<CompositionResult> result = executor.submit(() -> Composer.compose(subgraphs));
        try {
            return result.get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new AssertionError("composing " + what + " ran past " + BOUND_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new AssertionError("composing " + what + " threw " + e.getCause(), e.getCause());
        }
    }

    /** {@code types} entity types, each setting a context that a field of another entity reads with @fromContext. */
    private static String contextGraph(int types, boolean invalidNames, boolean oneSharedContext) {
        StringBuilder sdl = new StringBuilder("extend schema @link(url: \"https://specs.apollo.dev/federation/v2.8\", import: [\"@key\", \"@context\", \"@fromContext\"])\n");
        sdl.append("type Query {\n");
        for (int i = 0; i < types; i++) sdl.append("  t").append(i).append(": T").append(i).append("\n");
        sdl.append("}\n");
        for (int i = 0; i < types; i++) {
            String context = oneSharedContext ? "shared" : (invalidNames ? "ctx_" : "ctx") + i;
            sdl.append("type T").append(i).append(" @key(fields: \"id\") @context(name: \"").append(context).append("\") {\n  id: ID!\n  name: String!\n")
                    .append("  next: T").append((i + 1) % types).append("\n  child: C").append(i).append("\n}\n");
            sdl.append("type C").append(i).append(" @key(fields: \"id\") {\n  id: ID!\n  value(x: String @fromContext(field: \"$").append(context)
                    .append(" { name }\")): String\n}\n");
        }
        return sdl.toString();
    }

    @Test
    void invalidContextNamesAreRejectedPromptly() throws Exception {
        List<SubgraphSource> subgraphs = List.of(new SubgraphSource("contexts", "http://contexts.internal/graphql", contextGraph(600, true, false)));
        long start = System.nanoTime();
        CompositionResult result = composeBounded(subgraphs, "600 types with invalid @context names");
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("[robustness] 600 invalid @context names rejected in " + millis + " ms");
        assertThat(result).isInstanceOf(Failed.class);
        assertThat(((Failed) result).errors()).allMatch(e -> e.code().equals("CONTEXT_NAME_INVALID")).hasSize(600);
    }

    @Test
    void manyTypesSettingOneContextComposePromptly() throws Exception {
        for (boolean shared : new boolean[] {false, true}) {
            List<SubgraphSource> subgraphs = List.of(new SubgraphSource("contexts", "http://contexts.internal/graphql", contextGraph(600, false, shared)));
            long start = System.nanoTime();
            CompositionResult result = composeBounded(subgraphs, "600 types with @context" + (shared ? " (one shared name)" : ""));
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("[robustness] 600 @context types" + (shared ? ", one shared context," : "") + " composed in " + millis + " ms");
            if (result instanceof Failed failed) fail("expected to compose:\n" + failed.describe());
        }
    }

    private static final String[] WORDS = {"@key", "@external", "@requires", "@provides", "@shareable", "@override(from: \"a\")",
            "@inaccessible", "@interfaceObject", "@extends", "@tag(name: \"t\")", "@context(name: \"c_x\")",
            "@fromContext(field: \"$c { id }\")", "extend", "interface", "union", "enum", "input", "scalar", "type", "implements",
            "ID!", "[String!]!", "Query", "Mutation", "{", "}", "(", ")", "\"", "$", "#", ":", "=", "|", "...", "on", "fields: \"id\"",
            "fields: \"\"", "fields: \"id { x }\"", "label: \"percent(50)\"", "@link(url: \"https://specs.apollo.dev/federation/v2.99\")"};

    /** One to three random edits: drop, insert, replace, swap or duplicate a token. */
    static String mutate(String sdl, Random random) {
        List<String> tokens = new ArrayList<>(Arrays.asList(sdl.split("(?<=\\s)|(?=\\s)")));
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && !tokens.isEmpty(); e++) {
            int at = random.nextInt(tokens.size());
            switch (random.nextInt(5)) {
                case 0 -> tokens.remove(at);
                case 1 -> tokens.add(at, " " + WORDS[random.nextInt(WORDS.length)] + " ");
                case 2 -> tokens.set(at, WORDS[random.nextInt(WORDS.length)]);
                case 3 -> {
                    int other = random.nextInt(tokens.size());
                    String swapped = tokens.get(at);
                    tokens.set(at, tokens.get(other));
                    tokens.set(other, swapped);
                }
                default -> tokens.add(at, tokens.get(random.nextInt(tokens.size())));
            }
        }
        return String.join("", tokens);
    }

    /** The fuzzer's own shapes (CompositionFuzzer): deep chains closing into cycles, deep selections, edited or not. */
    @Test
    void generatedDeepAndCyclicShapesComposeOrFailCleanly() {
        Random random = new Random(24);
        ExecutorService[] fuzzExecutor = {CompositionFuzzer.newExecutor()};
        int inputs = 300;
        int composed = 0;
        long slowest = 0;
        try {
            for (int i = 0; i < inputs; i++) {
                List<SubgraphSource> input = CompositionFuzzer.deepInput(random);
                CompositionFuzzer.Outcome outcome = CompositionFuzzer.composeBounded(fuzzExecutor, input, BOUND_SECONDS);
                if (outcome.problem() != null) {
                    StringBuilder sdl = new StringBuilder();
                    input.forEach(s -> sdl.append("# --- subgraph ").append(s.name()).append('\n').append(s.sdl()));
                    fail("generated input " + i + ": " + outcome.problem() + "\n" + sdl);
                }
                if (outcome.composed()) composed++;
                slowest = Math.max(slowest, outcome.millis());
            }
        } finally {
            fuzzExecutor[0].shutdownNow();
        }
        System.out.println("[robustness] " + inputs + " generated deep/cyclic inputs (seed 24): " + composed + " composed, "
                + (inputs - composed) + " rejected, 0 crashes, 0 hangs; slowest " + slowest + " ms");
        assertThat(composed).as("some generated shapes compose (so satisfiability walks them)").isPositive();
    }

    @Test
    void randomEditsOfTheCorpusComposeOrFailCleanly() throws Exception {
        Random random = new Random(24);
        List<CompositionCase> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/composition/cases"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".graphql")).sorted().toList()) cases.add(CompositionCase.read(file));
        }
        int inputs = 0;
        int rejected = 0;
        long slowest = 0;
        for (CompositionCase c : cases) {
            for (int i = 0; i < 10; i++) {
                int target = random.nextInt(c.subgraphs().size());
                List<SubgraphSource> edited = new ArrayList<>();
                for (int j = 0; j < c.subgraphs().size(); j++) {
                    SubgraphSource s = c.subgraphs().get(j);
                    edited.add(j == target ? new SubgraphSource(s.name(), s.url(), mutate(s.sdl(), random)) : s);
                }
                long start = System.nanoTime();
                CompositionResult result = composeBounded(edited, "an edit of " + c.name() + ":\n" + edited.get(target).sdl());
                slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
                inputs++;
                if (result instanceof Failed failed) {
                    rejected++;
                    for (CompositionError error : failed.errors()) {
                        assertThat(error.code()).as("an error code for an edit of %s", c.name()).isNotBlank();
                        assertThat(error.hint()).as("a hint for %s on an edit of %s", error.code(), c.name()).isNotBlank();
                        assertThat(error.message()).as("no Java internals in %s", error.code()).doesNotContain("Exception", "\tat ");
                    }
                }
            }
        }
        System.out.println("[robustness] " + inputs + " edited inputs (seed 24): " + rejected + " rejected, "
                + (inputs - rejected) + " composed, 0 crashes, 0 hangs; slowest " + slowest + " ms");
        assertThat(inputs).isGreaterThan(1000);
    }
}
