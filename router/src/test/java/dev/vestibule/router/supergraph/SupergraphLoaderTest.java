package dev.vestibule.router.supergraph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.router.TestSupergraphs;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLObjectType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SupergraphLoaderTest {
    private final Supergraph supergraph = TestSupergraphs.sample();

    @Test
    void readsSubgraphsWithTheirUrls() {
        assertThat(supergraph.subgraphs()).extracting(Subgraph::name)
                .containsExactly("accounts", "inventory", "media", "products", "reviews");
        assertThat(supergraph.subgraphNamed("reviews")).get().extracting(Subgraph::url).isEqualTo("http://127.0.0.1:4004/graphql");
    }

    @Test
    void aSubgraphFieldsNamedTypeIsItsTypeWithoutListAndNonNullWrappers() {
        for (String[] typeAndNamed : new String[][] {{"Book", "Book"}, {"Book!", "Book"}, {"[Book]", "Book"}, {"[Book!]!", "Book"},
                {"[[Int!]]!", "Int"}}) {
            var field = new SubgraphSchema.FieldInSubgraph("f", typeAndNamed[0], false, null, null);
            assertThat(field.namedType()).as(typeAndNamed[0]).isEqualTo(typeAndNamed[1]);
        }
    }

    @Test
    void extractsKeysExternalsRequiresProvidesAndOverride() {
        SubgraphSchema products = supergraph.subgraph("products");
        assertThat(products.type("Product").orElseThrow().keys()).extracting(k -> k.fields().text())
                .containsExactly("upc", "sku variation { id }");
        assertThat(products.type("User").orElseThrow().keys()).singleElement().extracting(SubgraphSchema.Key::resolvable).isEqualTo(false);
        SubgraphSchema inventory = supergraph.subgraph("inventory");
        assertThat(inventory.field("Product", "price").orElseThrow().external()).isTrue();
        assertThat(inventory.field("Product", "shippingEstimate").orElseThrow().requires().text())
                .isEqualTo("price weight(unit: KILOGRAM)");
        // @override(from: "products"): products no longer resolves inStock, inventory does
        assertThat(products.resolves("Product", "inStock")).isFalse();
        assertThat(inventory.resolves("Product", "inStock")).isTrue();
        assertThat(supergraph.subgraph("reviews").field("Review", "author").orElseThrow().provides().text()).isEqualTo("username");
        assertThat(supergraph.subgraph("reviews").type("Media").orElseThrow().interfaceObject()).isTrue();
        // Image.likes comes only through reviews' @interfaceObject: no subgraph resolves it on Image itself
        assertThat(supergraph.subgraphs()).noneMatch(s -> supergraph.subgraph(s.name()).resolves("Image", "likes"));
    }

    @Test
    void apiSchemaHidesInaccessibleElementsAndJoinMachinery() {
        GraphQLObjectType user = supergraph.apiSchema().getObjectType("User");
        assertThat(user.getFieldDefinition("internalNotes")).isNull();
        assertThat(supergraph.apiSchema().getObjectType("Product").getFieldDefinition("costPrice")).isNull();
        assertThat(((GraphQLEnumType) supergraph.apiSchema().getType("Role")).getValue("SYSTEM")).isNull();
        assertThat(supergraph.apiSchema().getType("join__Graph")).isNull();
        assertThat(supergraph.apiSchema().getDirective("join__type")).isNull();
        // the planner's schema keeps them: keys and requires may use inaccessible fields
        assertThat(supergraph.schema().getObjectType("Product").getFieldDefinition("costPrice")).isNotNull();
    }

    @Test
    void oneSchemaServesPlannerAndApiWhenNothingIsInaccessible() {
        assertThat(supergraph.schema()).isNotSameAs(supergraph.apiSchema());
        String open = TestSupergraphs.sampleSdl().replace(" @inaccessible @join__", " @join__");
        Supergraph withoutHidden = SupergraphLoader.load(open);
        assertThat(withoutHidden.schema()).isSameAs(withoutHidden.apiSchema());
        assertThat(withoutHidden.schema().getObjectType("Product").getFieldDefinition("costPrice")).isNotNull();
        // an argument alone is enough to need the planner's own schema
        Supergraph argumentHidden = SupergraphLoader.load(open.replace("reviews(first: Int = 5, after: String)",
                "reviews(first: Int = 5, after: String @inaccessible)"));
        assertThat(argumentHidden.schema()).isNotSameAs(argumentHidden.apiSchema());
        assertThat(argumentHidden.apiSchema().getObjectType("Product").getFieldDefinition("reviews").getArgument("after")).isNull();
        assertThat(argumentHidden.schema().getObjectType("Product").getFieldDefinition("reviews").getArgument("after")).isNotNull();
    }

    @Test
    void aSubgraphSchemaIsNotASupergraph() {
        String subgraph = TestSupergraphs.read(Path.of("..", "schemas", "accounts.graphql"));
        assertThatThrownBy(() -> SupergraphLoader.load(subgraph)).isInstanceOf(SupergraphException.class)
                .hasMessageContaining("has no enum join__Graph");
    }

    @Test
    void errorsNameTheLine() {
        String broken = TestSupergraphs.sampleSdl().replace("@join__type(graph: ACCOUNTS, key: \"id\")",
                "@join__type(graph: PAYMENTS, key: \"id\")");
        assertThatThrownBy(() -> SupergraphLoader.load(broken)).isInstanceOf(SupergraphException.class)
                .hasMessageMatching("line \\d+: .*names graph PAYMENTS, which join__Graph does not define");
        assertThatThrownBy(() -> SupergraphLoader.load("type Query {")).isInstanceOf(SupergraphException.class)
                .hasMessageContaining("not valid GraphQL SDL");
    }

    @Test
    void refusesSpecsItDoesNotImplementForSecurity() {
        String sdl = TestSupergraphs.sampleSdl().replace("@link(url: \"https://specs.apollo.dev/tag/v0.3\")",
                "@link(url: \"https://specs.example.com/secret/v1.0\", for: SECURITY)");
        assertThatThrownBy(() -> SupergraphLoader.load(sdl)).hasMessageContaining("does not implement");
    }
}
