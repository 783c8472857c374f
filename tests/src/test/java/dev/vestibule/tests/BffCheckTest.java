package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.bff.codegen.BffCodegen;
import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import dev.vestibule.router.composition.SubgraphsConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate of a backend change (issue #25): {@code check} (the router jar, as {@code ./vestibule check} runs it)
 * composes a proposed subgraph schema with the others, classifies the schema changes and names every BFF operation
 * they break with module, file:line, operation and field; and the BFF module's build (its code generator, invoked as
 * the build does) fails on a broken schema with the same names. All on temp copies: the repository is not changed.
 */
class BffCheckTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path MOBILE_PRODUCT = ROOT.resolve("bff-mobile/src/main/graphql/product.graphql");

    record Run(int exit, String out, String err) {}

    /** java -jar router/target/router.jar check ARGS, in the repository's root (where the default paths are). */
    private static Run check(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", ROOT.resolve("router/target/router.jar").toString(), "check"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(ROOT.toFile()).start();
        // read both streams while it runs: a full pipe would block it
        var out = process.getInputStream();
        var err = process.getErrorStream();
        var stdout = new CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try {
                stdout.complete(new String(out.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                stdout.completeExceptionally(e);
            }
        });
        String stderr = new String(err.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("check finished").isTrue();
        return new Run(process.exitValue(), stdout.get(), stderr);
    }

    /** The reviews sample's schema with {@code Review.rating} renamed to {@code stars} (bff-mobile's ProductDetail uses it). */
    private static Path reviewsWithoutRating(Path dir) throws IOException {
        String sdl = Files.readString(ROOT.resolve("schemas/reviews.graphql"));
        String renamed = sdl.replace("type Review implements Node @key(fields: \"id\") {\n  id: ID!\n  rating: Int!",
                "type Review implements Node @key(fields: \"id\") {\n  id: ID!\n  stars: Int!");
        assertThat(renamed).as("the sample's Review type as this test expects it").isNotEqualTo(sdl);
        return Files.writeString(dir.resolve("reviews.graphql"), renamed);
    }

    /** "file:line:column" of the first line of {@code file} that is {@code field} alone (a selected field), from the file itself. */
    private static String whereSelected(Path file, String field) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(field)) return (i + 1) + ":" + (lines.get(i).indexOf(field) + 1);
        }
        throw new AssertionError(field + " is not selected in " + file);
    }

    @Test
    void theCommittedSchemasBreakNoBffOperation() throws Exception {
        Run run = check("--supergraph", "schemas/supergraph.graphql", "--bff", "bff-mobile,bff-web");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("BFF operations broken: none (").contains(" operation(s) of bff-mobile, bff-web validate against the supergraph schemas/supergraph.graphql");
    }

    @Test
    void aProposedSubgraphChangeNamesEveryBffOperationItBreaks(@TempDir Path dir) throws Exception {
        Path proposed = reviewsWithoutRating(dir);
        Run run = check("--subgraph", "reviews=" + proposed, "--bff", "bff-mobile,bff-web");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("breaking Review.rating: The new API is missing the field 'Review.rating'")
                .contains("safe Review.stars: The new API adds the field 'Review.stars'");
        assertThat(run.out()).contains("bff-mobile: bff-mobile/src/main/graphql/product.graphql:" + whereSelected(MOBILE_PRODUCT, "rating")
                + ": operation ProductDetail: field Review.rating: Field 'rating' in type 'Review' is undefined"
                + " (at product.reviews.edges.node.rating)");
        assertThat(run.out()).contains("bff-mobile: bff-mobile/src/main/graphql/add-review.graphql:"
                + whereSelected(ROOT.resolve("bff-mobile/src/main/graphql/add-review.graphql"), "rating") + ": operation AddReview: field Review.rating");
        assertThat(run.err()).contains("check failed: the supergraph with the proposed reviews (" + proposed + ") breaks")
                .contains("bff-mobile AddReview, bff-mobile ProductDetail").contains("bff-web Dashboard");
    }

    @Test
    void aChangeToAnInputTheGeneratedVariablesSendBreaksTheOperationThoughItsTextValidates(@TempDir Path dir) throws Exception {
        String sdl = Files.readString(ROOT.resolve("schemas/reviews.graphql"));
        String changed = sdl.replace("  rating: Int!\n  title: String\n  body: String!\n}", "  rating: Int!\n  body: String!\n  locale: String!\n}");
        assertThat(changed).isNotEqualTo(sdl);
        Run run = check("--subgraph", "reviews=" + Files.writeString(dir.resolve("reviews.graphql"), changed), "--bff", "bff-mobile");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("breaking AddReviewInput.title").contains("breaking AddReviewInput.locale")
                .contains("operation AddReview: field AddReviewInput.title: the input field is gone")
                .contains("operation AddReview: field AddReviewInput.locale: a new required input field");
    }

    @Test
    void anAddedEnumValueIsDangerousAndBreaksNothing(@TempDir Path dir) throws Exception {
        String sdl = Files.readString(ROOT.resolve("schemas/reviews.graphql"));
        String changed = sdl.replace("  PUBLISHED\n  FLAGGED\n", "  PUBLISHED\n  FLAGGED\n  HIDDEN\n");
        assertThat(changed).isNotEqualTo(sdl);
        Run run = check("--subgraph", "reviews=" + Files.writeString(dir.resolve("reviews.graphql"), changed));

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("dangerous ReviewStatus: The new API has added a new enum value 'HIDDEN'")
                .contains("BFF operations broken: none (").contains(" operation(s) of bff-mobile, bff-web validate");
    }

    @Test
    void theModuleBuildFailsNamingOperationFieldAndLine(@TempDir Path dir) throws Exception {
        // a copy of bff-mobile's operations, and the supergraph the proposed reviews schema makes
        Path module = Files.createDirectories(dir.resolve("bff-mobile"));
        Path operations = Files.createDirectories(module.resolve("src/main/graphql"));
        try (Stream<Path> files = Files.list(ROOT.resolve("bff-mobile/src/main/graphql"))) {
            for (Path file : files.toList()) Files.copy(file, operations.resolve(file.getFileName()));
        }
        List<SubgraphSource> sources = new ArrayList<>();
        for (SubgraphSource source : SubgraphsConfig.load(ROOT.resolve("schemas/subgraphs.yaml"))) {
            sources.add(source.name().equals("reviews")
                    ? new SubgraphSource("reviews", source.url(), Files.readString(reviewsWithoutRating(dir))) : source);
        }
        CompositionResult composed = Composer.compose(sources);
        assertThat(composed).isInstanceOf(CompositionResult.Composed.class);
        Path supergraph = Files.writeString(dir.resolve("supergraph.graphql"), ((CompositionResult.Composed) composed).supergraphSdl());

        String[] args = {"--client", "mobile", "--module", "bff-mobile", "--module-dir", module.toString(), "--package",
                "dev.vestibule.bff.mobile.graphql", "--supergraph", supergraph.toString()};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BffCodegen.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(1);
        assertThat(errors).contains("bff-mobile: src/main/graphql/product.graphql:" + whereSelected(MOBILE_PRODUCT, "rating")
                + ": operation ProductDetail: field Review.rating: Field 'rating' in type 'Review' is undefined");
        assertThat(errors).contains("bff-mobile: 2 problem(s) in the BFF operations against the supergraph " + supergraph);
        assertThat(module.resolve("target")).as("nothing generated from a broken schema").doesNotExist();

        // the same copy against the committed supergraph generates and writes the manifest
        args[args.length - 1] = ROOT.resolve("schemas/supergraph.graphql").toString();
        assertThat(BffCodegen.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))).isZero();
        assertThat(module.resolve("target/classes/META-INF/vestibule/bff/mobile/persisted-operations.json")).exists();
        assertThat(module.resolve("target/generated-sources/bff/dev/vestibule/bff/mobile/graphql/ProductDetailQuery.java")).exists();
    }
}
