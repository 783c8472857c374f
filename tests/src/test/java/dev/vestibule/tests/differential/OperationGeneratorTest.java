package dev.vestibule.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.supergraph.SupergraphLoader;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generator's operations are valid, reproducible and cover the shapes it promises; the shrinker shrinks. */
class OperationGeneratorTest {
    private static GraphQLSchema api;

    @BeforeAll
    static void load() throws IOException {
        api = SupergraphLoader.load(Files.readString(Path.of("..", "schemas", "supergraph.graphql"))).apiSchema();
    }

    @Test
    void everyOperationOfManySeedsIsValidAgainstTheApiSchema() {
        ValuePool pool = new ValuePool();
        pool.add("upc", "1");
        pool.add("id", "u1");
        OperationGenerator generator = new OperationGenerator(api, OperationGenerator.Options.DEFAULTS.withMutations(true), pool);
        int[] counts = new int[10];
        for (long seed = 0; seed < 1_000; seed++) {
            GeneratedOperation operation = generator.generate(seed);
            // as a client sends it: the printed text, parsed again
            Document parsed = Parser.parse(operation.text());
            assertThat(OperationGenerator.validate(api, parsed)).as("seed %d:\n%s", seed, operation.text()).isEmpty();
            String text = operation.text();
            count(counts, 0, text, "\\w+: \\w+");                      // alias
            count(counts, 1, text, "fragment F\\d+ on");               // named fragment
            count(counts, 2, text, "\\.\\.\\. on \\w+");               // inline fragment with a type condition
            count(counts, 3, text, "@skip\\(if: \\$");                 // @skip with a variable
            count(counts, 4, text, "@include\\(if: (true|false)");      // @include with a literal
            count(counts, 5, text, "\\$v\\d+: Boolean = ");             // variable with a default
            count(counts, 6, text, "__typename");
            count(counts, 7, text, "^mutation");
            count(counts, 8, text, "\\.\\.\\.F\\d+[\\s\\S]*\\.\\.\\.F\\d+"); // more than one spread
            if (operation.document().getDefinitions().getFirst() instanceof OperationDefinition op
                    && op.getSelectionSet().getSelections().size() > 1) counts[9]++;
            assertThat(operation.variables().keySet()).allMatch(v -> text.contains("$" + v + ":"));
        }
        // each promised shape shows up in a fair share of the operations
        for (int i = 0; i < counts.length; i++) assertThat(counts[i]).as("shape %d", i).isGreaterThan(20);
    }

    private static void count(int[] counts, int index, String text, String regex) {
        if (Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find()) counts[index]++;
    }

    @Test
    void theSameSeedGivesTheSameOperation() {
        OperationGenerator one = new OperationGenerator(api, OperationGenerator.Options.DEFAULTS, new ValuePool());
        OperationGenerator two = new OperationGenerator(api, OperationGenerator.Options.DEFAULTS, new ValuePool());
        for (long seed = 100; seed < 150; seed++) {
            assertThat(two.generate(seed).text()).isEqualTo(one.generate(seed).text());
            assertThat(two.generate(seed).variables()).isEqualTo(one.generate(seed).variables());
        }
        assertThat(one.generate(1).text()).isNotEqualTo(one.generate(2).text());
    }

    @Test
    void theShrinkerKeepsOnlyWhatTheFailureNeeds() {
        Document document = Parser.parse("""
                query Q($v1: Boolean!, $v2: Boolean = true) {
                  a1: topProducts(first: 2) @skip(if: $v1) { ...F1 name reviews(first: 1) { totalCount } }
                  me { username ... on User { a2: id } }
                }
                fragment F1 on Product { upc ... on Product @include(if: $v2) { price __typename } }
                """);
        GeneratedOperation failing = new GeneratedOperation(document, Map.of("v1", false));
        assertThat(OperationGenerator.validate(api, document)).isEmpty();
        // the "failure": the operation asks for a product's price
        GeneratedOperation shrunk = new Shrinker(api, 500).shrink(failing, op -> op.compact().contains("price"));
        assertThat(shrunk.compact()).isEqualTo("query Q{topProducts{price}}");
        assertThat(shrunk.variables()).isEmpty();
    }

    @Test
    void shrinkingStopsAtTheBudget() {
        OperationGenerator generator = new OperationGenerator(api, OperationGenerator.Options.DEFAULTS, new ValuePool());
        GeneratedOperation big = generator.generate(7);
        int[] calls = {0};
        new Shrinker(api, 5).shrink(big, op -> ++calls[0] > 0);
        assertThat(calls[0]).isLessThanOrEqualTo(5);
    }
}
