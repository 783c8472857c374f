package dev.vestibule.router.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.TestSupergraphs;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Query-plan snapshots, one file per feature under src/test/resources/plans: a comment, optionally
 * {@code --- supergraph NAME} (a file under src/test/resources/supergraphs, composed from small subgraphs written
 * for the case; the sample graph's supergraph otherwise), the operation, and the expected plan. Run with
 * -Dplans.update=true to rewrite the expected plans (then read the diff: it is the specification).
 */
class PlanSnapshotTest {
    private static final Path PLANS = Path.of("src", "test", "resources", "plans");
    /** The planner alone (no router, no HTTP client), one per supergraph. */
    private static final Map<String, Planning> PLANNERS = new HashMap<>();

    private static Planning planning(String supergraph) {
        return PLANNERS.computeIfAbsent(supergraph, name -> new Planning(name.equals("sample") ? TestSupergraphs.sample()
                : SupergraphLoader.load(TestSupergraphs.read(Path.of("src", "test", "resources", "supergraphs", name + ".graphql")))));
    }

    static Stream<String> plans() throws IOException {
        try (Stream<Path> files = Files.list(PLANS)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".plan")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void planMatchesSnapshot(String file) throws IOException {
        Path path = PLANS.resolve(file);
        String text = Files.readString(path);
        int supergraphAt = text.indexOf("--- supergraph ");
        String supergraph = supergraphAt < 0 ? "sample"
                : text.substring(supergraphAt + "--- supergraph ".length(), text.indexOf('\n', supergraphAt)).strip();
        int operationAt = text.indexOf("--- operation\n");
        int planAt = text.indexOf("--- plan\n");
        String operation = text.substring(operationAt + "--- operation\n".length(), planAt).strip();
        String expected = text.substring(planAt + "--- plan\n".length()).strip();
        String actual = planning(supergraph).plan(operation).toString();
        if (Boolean.getBoolean("plans.update")) {
            Files.writeString(path, text.substring(0, planAt + "--- plan\n".length()) + actual + "\n");
            return;
        }
        assertThat(actual).as("plan of %s (rerun with -Dplans.update=true to accept a new plan)", file).isEqualTo(expected);
    }
}
