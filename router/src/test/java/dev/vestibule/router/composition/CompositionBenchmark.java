package dev.vestibule.router.composition;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.composition.CompositionResult.Composed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The composition benchmark of issue #3: a generated graph of 200 subgraphs and about 5,000 types (500 entities,
 * each owned by one subgraph and extended by two others, plus value types, enums and inputs), composed by Vestibule
 * and by {@code @apollo/composition} in one run, each cold (first composition in a fresh process) and warm (median of
 * the next runs). Run it with {@code tests/bench/compose-bench.sh}; it is a benchmark, not a test.
 */
public final class CompositionBenchmark {
    static final int SUBGRAPHS = 200;
    static final int ENTITIES = 500;
    static final int VALUE_TYPES_PER_SUBGRAPH = 21;

    public static void main(String[] args) throws Exception {
        int warmRuns = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<SubgraphSource> graph = generate();
        int types = SUBGRAPHS * (VALUE_TYPES_PER_SUBGRAPH + 2) + ENTITIES + 1;
        System.out.printf("graph: %d subgraphs, %d types (%d entities), %d SDL lines%n", SUBGRAPHS, types, ENTITIES,
                graph.stream().mapToLong(s -> s.sdl().lines().count()).sum());

        long start = System.nanoTime();
        CompositionResult first = Composer.compose(graph);
        double vestibuleCold = (System.nanoTime() - start) / 1e6;
        if (!(first instanceof Composed composed)) throw new IllegalStateException(((CompositionResult.Failed) first).describe());
        double[] warm = new double[warmRuns];
        for (int i = 0; i < warmRuns; i++) {
            long t = System.nanoTime();
            Composer.compose(graph);
            warm[i] = (System.nanoTime() - t) / 1e6;
        }
        double vestibuleWarm = median(warm);

        Map<String, List<SubgraphSource>> input = new LinkedHashMap<>();
        input.put("bench", graph);
        Map<String, Double> apollo = ApolloComposition.time(graph, warmRuns);
        if (apollo.containsKey("differences")) System.out.println("supergraphs differ: see above");

        System.out.println();
        System.out.println("| composer | cold (ms) | warm median (ms) |");
        System.out.println("|---|---:|---:|");
        System.out.printf("| Vestibule Composer (Java %s) | %.0f | %.0f |%n", Runtime.version().feature(), vestibuleCold, vestibuleWarm);
        System.out.printf("| @apollo/composition %s (Node %s) | %.0f | %.0f |%n", ApolloComposition.VERSION,
                System.getProperty("bench.node", "?"), apollo.get("cold"), apollo.get("warm"));
        System.out.printf("Apollo / Vestibule: cold %.1fx, warm %.1fx%n", apollo.get("cold") / vestibuleCold, apollo.get("warm") / vestibuleWarm);
        List<String> differences = SupergraphEquivalence.differences(ApolloComposition.lastSupergraph, composed.supergraphSdl());
        System.out.println("supergraphs equivalent: " + differences.isEmpty() + (differences.isEmpty() ? "" : " " + differences.subList(0, Math.min(5, differences.size()))));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Deterministic: the same graph every run. */
    static List<SubgraphSource> generate() {
        return generate(SUBGRAPHS, ENTITIES);
    }

    /**
     * The same shape at another size: {@code subgraphs} subgraphs of 21 value types each, {@code entities} entities
     * whose {@code next} fields form one chain of references through all of them (the shape that made graphql-java's
     * schema building deep, issue #28). 2.5 entities per subgraph keep the benchmark's proportions.
     */
    public static List<SubgraphSource> generate(int subgraphs, int entities) {
        return generate(subgraphs, entities, entities);
    }

    /**
     * As {@link #generate(int, int)}, with the entities' {@code next} references forming cycles of {@code cycle}
     * entities (the last one shorter when {@code cycle} does not divide {@code entities}) instead of one chain through
     * all of them: the same size, a shallow shape (issue #28's "cycle-shaped" graphs use cycles of 5).
     */
    public static List<SubgraphSource> generate(int subgraphs, int entities, int cycle) {
        List<StringBuilder> sdl = new ArrayList<>();
        for (int s = 0; s < subgraphs; s++) {
            sdl.add(new StringBuilder("extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\", \"@shareable\"])\n\n"));
        }
        for (int s = 0; s < subgraphs; s++) {
            StringBuilder out = sdl.get(s);
            out.append("type Query {\n");
            for (int e = s; e < entities; e += subgraphs) out.append("  entity").append(e).append("(id: ID!): E").append(e).append('\n');
            out.append("  values").append(s).append("(filter: In").append(s).append("): [V").append(s).append("_0!]!\n");
            out.append("  page").append(s).append(": PageInfo\n}\n\n");
            out.append("type PageInfo @shareable { hasNextPage: Boolean! endCursor: String }\n\n");
            out.append("enum En").append(s).append(" { A B C }\n\n");
            out.append("input In").append(s).append(" { text: String limit: Int = 10 kind: En").append(s).append(" }\n\n");
            for (int k = 0; k < VALUE_TYPES_PER_SUBGRAPH; k++) {
                out.append("\"\"\"Value type ").append(k).append(" of subgraph ").append(s).append(".\"\"\"\n");
                out.append("type V").append(s).append('_').append(k).append(" {\n  id: ID!\n  label: String\n  amount: Float\n  count: Int!\n  kind: En")
                        .append(s).append("\n  flags: [Boolean!]\n");
                if (k + 1 < VALUE_TYPES_PER_SUBGRAPH) out.append("  next: V").append(s).append('_').append(k + 1).append('\n');
                out.append("}\n\n");
            }
        }
        for (int e = 0; e < entities; e++) {
            int owner = e % subgraphs;
            sdl.get(owner).append("type E").append(e).append(" @key(fields: \"id\") {\n  id: ID!\n  name: String\n  score: Int\n  tags: [String!]\n  next: E")
                    .append(next(e, entities, cycle)).append("\n}\n\n");
            for (int extender : new int[] {(owner + 1) % subgraphs, (owner + 7) % subgraphs}) {
                sdl.get(extender).append("type E").append(e).append(" @key(fields: \"id\") {\n  id: ID!\n  extra").append(extender)
                        .append(": Int\n  value").append(extender).append(": V").append(extender).append("_0\n}\n\n");
            }
        }
        // an entity's "next" may point at an entity another subgraph owns: declare the stub so the subgraph is valid
        for (int s = 0; s < subgraphs; s++) {
            for (int e = s; e < entities; e += subgraphs) {
                int next = next(e, entities, cycle);
                String stub = "type E" + next + " @key(fields: \"id\"";
                if (!sdl.get(s).toString().contains(stub)) {
                    sdl.get(s).append("type E").append(next).append(" @key(fields: \"id\", resolvable: false) {\n  id: ID!\n}\n\n");
                }
            }
        }
        List<SubgraphSource> sources = new ArrayList<>();
        for (int s = 0; s < subgraphs; s++) {
            sources.add(new SubgraphSource("s" + s, "http://127.0.0.1:" + (5000 + s) + "/graphql", sdl.get(s).toString()));
        }
        return sources;
    }

    /** The entity that entity {@code e}'s {@code next} field refers to: the following one in its cycle. */
    private static int next(int e, int entities, int cycle) {
        int start = e / cycle * cycle;
        int length = Math.min(cycle, entities - start);
        return start + (e - start + 1) % length;
    }

    static String json(List<SubgraphSource> graph) throws Exception {
        return new ObjectMapper().writeValueAsString(List.of(Map.of("name", "bench", "subgraphs",
                graph.stream().map(s -> Map.of("name", s.name(), "url", s.url(), "sdl", s.sdl())).toList())));
    }

    static Path write(String json) throws Exception {
        Path file = Files.createTempFile("compose-bench", ".json");
        Files.writeString(file, json);
        return file;
    }
}
