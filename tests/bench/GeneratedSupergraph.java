import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionBenchmark;
import dev.vestibule.router.composition.CompositionResult;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the supergraph of the composition benchmark's generated graph (CompositionBenchmark.generate: SUBGRAPHS
 * subgraphs, ENTITIES entities in one chain of references, 21 value types per subgraph), composed by Vestibule, for
 * tests/bench/plan-bench.sh. Run with the router's test classes on the class path:
 *
 * <p>Usage: java -cp ROUTER_TEST_CLASSPATH tests/bench/GeneratedSupergraph.java SUBGRAPHS ENTITIES OUT_FILE
 */
public final class GeneratedSupergraph {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) throw new IllegalArgumentException("usage: GeneratedSupergraph.java SUBGRAPHS ENTITIES OUT_FILE");
        int subgraphs = Integer.parseInt(args[0]);
        int entities = Integer.parseInt(args[1]);
        switch (Composer.compose(CompositionBenchmark.generate(subgraphs, entities))) {
            case CompositionResult.Composed composed -> Files.writeString(Path.of(args[2]), composed.supergraphSdl());
            case CompositionResult.Failed failed -> throw new IllegalStateException(failed.describe());
        }
    }
}
