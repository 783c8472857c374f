package dev.vestibule.router.supergraph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.Gateway;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.TestSupergraphs;
import dev.vestibule.router.operation.GraphQLRequest;
import graphql.schema.idl.SchemaPrinter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Supergraphs composed from Federation 1 subgraphs (core v0.2, join v0.1): the same graph written in join v0.1 and
 * in join v0.3 must load into the same subgraph facts, expose the same API schema and plan every operation alike.
 * The pair is the gateways benchmark's graph (accounts, inventory, products, reviews), as Apollo's Federation 1
 * composition wrote it and as Federation 2 writes it.
 */
class Federation1SupergraphTest {
    private static final Path DIR = Path.of("src", "test", "resources", "fed1");
    /** The benchmark beside the repository, as in CI: its supergraph (join v0.3) and query. */
    private static final Path BENCH = Path.of("src", "test", "resources", "bench");
    private final Supergraph fed1 = SupergraphLoader.load(TestSupergraphs.read(DIR.resolve("bench-join-v0.1.graphql")));
    private final Supergraph fed2 = SupergraphLoader.load(TestSupergraphs.read(BENCH.resolve("supergraph.graphql")));

    @Test
    void theOwnerResolvesFieldsWithoutAGraphAndExtendersAnswerTheirKeys() {
        SubgraphSchema products = fed1.subgraph("products");
        SubgraphSchema inventory = fed1.subgraph("inventory");
        assertThat(products.resolves("Product", "name")).isTrue();
        assertThat(inventory.resolves("Product", "name")).isFalse();
        assertThat(inventory.resolves("Product", "inStock")).isTrue();
        assertThat(inventory.field("Product", "shippingEstimate").orElseThrow().requires().text()).isEqualTo("price weight");
        // upc was @external in inventory's `extend type Product @key(fields: "upc")`: still answerable by the key
        assertThat(inventory.resolves("Product", "upc")).isTrue();
        assertThat(inventory.type("Product").orElseThrow().keys()).extracting(k -> k.fields().text()).containsExactly("upc");
        assertThat(fed1.subgraph("reviews").field("Review", "author").orElseThrow().provides().text()).isEqualTo("username");
    }

    @Test
    void theApiSchemaIsTheSameAsFederation2s() {
        SchemaPrinter printer = new SchemaPrinter(SchemaPrinter.Options.defaultOptions().includeDirectives(false));
        assertThat(printer.print(fed1.apiSchema())).isEqualTo(printer.print(fed2.apiSchema()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{ me { name username reviews { body product { name inStock shippingEstimate } } } }",
            "{ topProducts(first: 2) { upc name reviews { author { username birthday } } } }",
            "query { users { id reviews { product { price weight shippingEstimate } } } }"})
    void operationsPlanAsOnTheFederation2Supergraph(String operation) {
        assertThat(plan(fed1, operation)).isEqualTo(plan(fed2, operation));
    }

    @Test
    void theBenchmarkQueryPlansAsOnTheFederation2Supergraph() {
        String query = TestSupergraphs.read(BENCH.resolve("query.graphql"));
        assertThat(plan(fed1, query)).isEqualTo(plan(fed2, query)).contains("Flatten");
    }

    @Test
    void interfacesAreImplementedWhereverTheTypeIsDefined() {
        Supergraph withInterface = SupergraphLoader.load("""
                schema @core(feature: "https://specs.apollo.dev/core/v0.1") @core(feature: "https://specs.apollo.dev/join/v0.1") { query: Query }
                directive @core(feature: String!) repeatable on SCHEMA
                directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet) on FIELD_DEFINITION
                directive @join__type(graph: join__Graph!, key: join__FieldSet) repeatable on OBJECT | INTERFACE
                directive @join__owner(graph: join__Graph!) on OBJECT | INTERFACE
                directive @join__graph(name: String!, url: String!) on ENUM_VALUE
                scalar join__FieldSet
                enum join__Graph { A @join__graph(name: "a", url: "http://127.0.0.1:1/a") B @join__graph(name: "b", url: "http://127.0.0.1:1/b") }
                interface Node { id: ID! }
                type Book implements Node @join__owner(graph: A) @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") {
                  id: ID! @join__field(graph: A)
                  title: String
                  rating: Int @join__field(graph: B)
                }
                type Query { node(id: ID!): Node @join__field(graph: A) }
                """);
        assertThat(withInterface.subgraph("a").type("Book").orElseThrow().interfaces()).containsExactly("Node");
        assertThat(withInterface.subgraph("a").resolves("Book", "title")).isTrue(); // no @join__field: the owner's
        assertThat(withInterface.subgraph("b").resolves("Book", "title")).isFalse();
        assertThat(withInterface.subgraph("b").resolves("Book", "rating")).isTrue();
        assertThat(List.of(withInterface.apiSchema().getObjectType("Book").getInterfaces().get(0).getName())).containsExactly("Node");
    }

    private static String plan(Supergraph supergraph, String operation) {
        try (Gateway router = new Router(supergraph, RouterSettings.DEFAULTS)) {
            return router.prepare(new GraphQLRequest(operation, null, Map.of(), Map.of()), null).plan().toString();
        }
    }
}
