package dev.vestibule.router.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.vestibule.router.composition.ApolloComposition.Outcome;
import dev.vestibule.router.composition.CompositionResult.Composed;
import dev.vestibule.router.composition.CompositionResult.Failed;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Holds Vestibule's composition to Apollo's: every case of the corpus (and the sample subgraphs) is composed by both;
 * composed cases must give equivalent supergraphs, error cases must be rejected by both, with our error code and
 * message as the case states. Needs Node and the npm registry (CI has both); elsewhere it is skipped with a reason.
 */
class CompositionDifferentialTest {
    private static final Path CASES = Path.of("src/test/resources/composition/cases");
    private static final Map<String, CompositionCase> corpus = new LinkedHashMap<>();
    private static Map<String, Outcome> apollo;

    @BeforeAll
    static void composeWithApollo() throws Exception {
        boolean ci = System.getenv("CI") != null;
        if (!ApolloComposition.available()) {
            if (ci) fail("node and npm are needed for the composition differential test");
            Assumptions.abort("node/npm not found: the differential test against @apollo/composition is skipped");
        }
        try (Stream<Path> files = Files.list(CASES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".graphql")).sorted().toList()) {
                CompositionCase c = CompositionCase.read(file);
                corpus.put(c.name(), c);
            }
        }
        corpus.put("sample-subgraphs", new CompositionCase("sample-subgraphs",
                SubgraphsConfig.load(Path.of("../schemas/subgraphs.yaml")), null, List.of(), null, null));
        Map<String, List<SubgraphSource>> input = new LinkedHashMap<>();
        corpus.forEach((name, c) -> input.put(name, c.subgraphs()));
        apollo = ApolloComposition.compose(input);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseComposesAsApolloDoes() {
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(41);
        return corpus.values().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(CompositionCase c) {
        Outcome reference = apollo.get(c.name());
        CompositionResult ours = Composer.compose(c.subgraphs());
        if (c.expectedError() == null) {
            assertThat(reference.composed()).as("Apollo composes %s (its errors: %s)", c.name(), reference.errorMessages()).isTrue();
            if (ours instanceof Failed failed) fail("Vestibule fails to compose " + c.name() + ":\n" + failed.describe());
            List<String> differences = SupergraphEquivalence.differences(reference.supergraph(), ((Composed) ours).supergraphSdl());
            assertThat(differences).as("differences from Apollo's supergraph for %s", c.name()).isEmpty();
            return;
        }
        if (c.apolloComposes() != null) {
            // a deliberate difference (docs/composition.md): Apollo composes it, we reject it
            assertThat(reference.composed()).as("Apollo composes %s (%s)", c.name(), c.apolloComposes()).isTrue();
            if (c.apolloComposes().startsWith("unloadable")) {
                assertThatThrownBy(() -> SupergraphLoader.load(reference.supergraph()))
                        .as("the router refuses Apollo's supergraph for %s", c.name()).isInstanceOf(RuntimeException.class);
            }
        } else {
            assertThat(reference.composed()).as("Apollo rejects %s", c.name()).isFalse();
            assertThat(reference.errorCodes()).as("Apollo's error codes for %s (%s)", c.name(), reference.errorMessages())
                    .contains(c.apolloError() == null ? c.expectedError() : c.apolloError());
        }
        if (!(ours instanceof Failed failed)) {
            fail("Vestibule composes " + c.name() + " but should reject it with " + c.expectedError() + "; Apollo says " + reference.errorMessages());
            return;
        }
        List<String> codes = new ArrayList<>(failed.errors().stream().map(CompositionError::code).toList());
        assertThat(codes).as("our error codes for %s:\n%s", c.name(), failed.describe()).contains(c.expectedError());
        String described = failed.describe();
        for (String message : c.expectedMessages()) assertThat(described).as("our errors for %s", c.name()).contains(message);
        failed.errors().forEach(e -> assertThat(e.hint()).as("a hint for %s", e.code()).isNotBlank());
    }
}
