package dev.vestibule.router.composition;

import dev.vestibule.router.composition.CompositionResult.Composed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The supergraphs of issue #28's table: {@link CompositionBenchmark}'s graph at n subgraphs (21 value types each,
 * 2.5 n entities, n * 23 + 2.5 n + 1 types), composed by Vestibule, in two shapes: {@code chain} (the entities'
 * {@code next} references form one chain through all of them, the deep shape) and {@code cycle} (cycles of 5).
 *
 * <p>{@code BigSupergraphs DIR SHAPE N...} writes {@code DIR/SHAPE-N.graphql} for each N
 * ({@code tests/bench/big-supergraph-bench.sh} runs it).
 */
public final class BigSupergraphs {
    /** The cycle length of the cycle-shaped graphs. */
    public static final int CYCLE = 5;

    private BigSupergraphs() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) throw new IllegalArgumentException("usage: BigSupergraphs DIR chain|cycle N...");
        Path dir = Files.createDirectories(Path.of(args[0]));
        for (int i = 2; i < args.length; i++) {
            int subgraphs = Integer.parseInt(args[i]);
            Path file = dir.resolve(args[1] + "-" + subgraphs + ".graphql");
            Files.writeString(file, compose(sources(subgraphs, args[1])));
            System.out.println("wrote " + file);
        }
    }

    /** The subgraphs of the graph of that size and shape (subgraph i at http://127.0.0.1:(5000 + i)/graphql). */
    public static List<SubgraphSource> sources(int subgraphs, String shape) {
        int entities = subgraphs * 5 / 2;
        return switch (shape) {
            case "chain" -> CompositionBenchmark.generate(subgraphs, entities, entities);
            case "cycle" -> CompositionBenchmark.generate(subgraphs, entities, CYCLE);
            default -> throw new IllegalArgumentException("shape " + shape + ": chain or cycle");
        };
    }

    public static String compose(List<SubgraphSource> sources) {
        return switch (Composer.compose(sources)) {
            case Composed composed -> composed.supergraphSdl();
            case CompositionResult.Failed failed -> throw new IllegalStateException(failed.describe());
        };
    }
}
