package dev.vestibule.samples;

import static dev.vestibule.samples.GraphQLClient.rep;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.samples.data.SampleData;
import dev.vestibule.samples.server.FaultSettings;
import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectivesContainer;
import graphql.language.Document;
import graphql.language.StringValue;
import graphql.language.TypeDefinition;
import graphql.parser.Parser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** _entities answers for every entity type through every resolvable key of every sample subgraph. */
class EntitiesTest {
    private static final SampleData DATA = SampleData.get();
    private static SampleSubgraphs.Running samples;

    @BeforeAll
    static void start() {
        samples = SampleSubgraphs.startAll(0, FaultSettings.NONE);
    }

    @AfterAll
    static void stop() {
        samples.close();
    }

    /** One resolvable key: a representation through it, what to select, and what must come back. */
    record KeyCase(String subgraph, String type, String key, Map<String, Object> representation, String selection,
                   String pointer, String expected) {
        @Override
        public String toString() {
            return subgraph + " " + type + " @key(fields: \"" + key + "\")";
        }
    }

    static Stream<KeyCase> keyCases() {
        var p5 = DATA.product("100005");
        return Stream.of(
                new KeyCase("accounts", "User", "id", rep("User", "id", "u3"), "email", "/email", "user3@example.com"),
                new KeyCase("accounts", "User", "email", rep("User", "email", "user4@example.com"), "id", "/id", "u4"),
                new KeyCase("accounts", "Seller", "marketplace sellerId", rep("Seller", "marketplace", "EU", "sellerId", "s2"),
                        "displayName", "/displayName", "Seller 2"),
                new KeyCase("products", "Product", "upc", rep("Product", "upc", "100001"), "sku", "/sku", "SKU-1"),
                new KeyCase("products", "Product", "sku variation { id }",
                        rep("Product", "sku", "SKU-1", "variation", Map.of("id", "v2")), "upc", "/upc", "100002"),
                new KeyCase("inventory", "Product", "upc", rep("Product", "upc", "100005"), "quantity", "/quantity",
                        String.valueOf(p5.quantity())),
                new KeyCase("reviews", "Review", "id", rep("Review", "id", "r7"), "rating", "/rating",
                        String.valueOf(DATA.review("r7").rating())),
                new KeyCase("reviews", "User", "id", rep("User", "id", "u5"), "reviewCount", "/reviewCount",
                        String.valueOf(DATA.reviewsByAuthor("u5").size())),
                new KeyCase("reviews", "Product", "upc", rep("Product", "upc", "100010"), "reviewCount", "/reviewCount",
                        String.valueOf(DATA.reviewsOfProduct("100010").size())),
                new KeyCase("reviews", "Media", "id", rep("Media", "id", "vid-4"), "id", "/id", "vid-4"),
                new KeyCase("media", "Media", "id", rep("Media", "id", "img-3"), "id", "/__typename", "Image"),
                new KeyCase("media", "Image", "id", rep("Image", "id", "img-3"), "width", "/width",
                        String.valueOf(DATA.mediaItem("img-3").width())),
                new KeyCase("media", "Video", "id", rep("Video", "id", "vid-4"), "durationSeconds", "/durationSeconds",
                        String.valueOf(DATA.mediaItem("vid-4").durationSeconds())),
                new KeyCase("media", "Product", "upc", rep("Product", "upc", "100004"), "media { id }", "/media/1/id", "vid-4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyCases")
    void resolvesEntityThroughKey(KeyCase c) throws Exception {
        JsonNode answer = GraphQLClient.query(samples.get(c.subgraph()).url(),
                "query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on " + c.type() + " { "
                        + c.selection() + " } } }", Map.of("r", List.of(c.representation())));
        assertThat(answer.has("errors")).as("errors: %s", answer.get("errors")).isFalse();
        assertThat(answer.at("/data/_entities/0" + c.pointer()).asText()).isEqualTo(c.expected());
    }

    @Test
    void everyResolvableKeyInTheSchemasHasACase() throws Exception {
        Set<String> declared = new TreeSet<>();
        for (String subgraph : SampleSubgraphs.names()) {
            Document schema = Parser.parse(Files.readString(Path.of("..", "schemas", subgraph + ".graphql")));
            for (Definition<?> definition : schema.getDefinitions()) {
                if (!(definition instanceof TypeDefinition<?> type) || !(definition instanceof DirectivesContainer<?> container)) continue;
                for (Directive key : container.getDirectives("key")) {
                    boolean resolvable = key.getArgument("resolvable") == null
                            || AstPrinter.printAst(key.getArgument("resolvable").getValue()).equals("true");
                    if (resolvable) {
                        declared.add(subgraph + " " + type.getName() + " @key(fields: \""
                                + ((StringValue) key.getArgument("fields").getValue()).getValue() + "\")");
                    }
                }
            }
        }
        Set<String> covered = keyCases().map(KeyCase::toString).collect(Collectors.toCollection(TreeSet::new));
        covered.remove("media Image @key(fields: \"id\")");
        covered.remove("media Video @key(fields: \"id\")");
        covered.add("media Image @key(fields: \"id\")");
        covered.add("media Video @key(fields: \"id\")");
        assertThat(covered).isEqualTo(declared);
    }

    @Test
    void manyRepresentationsComeBackInOrderWithNullsForUnknownKeys() throws Exception {
        List<Map<String, Object>> reps = IntStream.rangeClosed(1, 100)
                .mapToObj(i -> rep("Product", "upc", String.valueOf(100_000 + i * 7))).collect(Collectors.toList());
        reps.add(50, rep("Product", "upc", "no-such-upc"));
        var products = samples.get("products");
        products.requestLog().clear();
        JsonNode answer = GraphQLClient.query(products.url(),
                "query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { upc } } }", Map.of("r", reps));
        JsonNode entities = answer.at("/data/_entities");
        assertThat(entities.size()).as("answer %s", answer).isEqualTo(101);
        for (int i = 0; i < 101; i++) {
            if (i == 50) assertThat(entities.get(i).isNull()).isTrue();
            else assertThat(entities.get(i).get("upc").asText()).isEqualTo(reps.get(i).get("upc"));
        }
        var log = products.requestLog().entries();
        assertThat(log).hasSize(1);
        assertThat(log.get(0).isEntitiesCall()).isTrue();
        assertThat(log.get(0).representations()).isEqualTo(101);
        assertThat(log.get(0).typenames()).containsOnly("Product");
    }
}
