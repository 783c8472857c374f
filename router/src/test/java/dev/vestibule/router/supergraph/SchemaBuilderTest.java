package dev.vestibule.router.supergraph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import graphql.GraphQLContext;
import graphql.language.Document;
import graphql.parser.Parser;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.SchemaPrinter;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@link SchemaBuilder} must make the schema graphql-java's own generator makes, for every supergraph the tests know:
 * the fixtures, the samples, the benchmark graph, and each composable case of the composition corpus. Compared in
 * printed form (types, fields, arguments, defaults, descriptions, deprecations, directives, in order).
 */
class SchemaBuilderTest {
    private static final SchemaPrinter PRINTER = new SchemaPrinter(SchemaPrinter.Options.defaultOptions()
            .includeDirectives(true).includeSchemaDefinition(true).includeScalarTypes(true));

    @Test
    void buildsTheSchemaGraphqlJavasGeneratorBuildsForEveryKnownSupergraph() throws IOException {
        List<String> supergraphs = KnownSupergraphs.all();
        assertThat(supergraphs).hasSizeGreaterThan(50);
        int compared = 0;
        for (String sdl : supergraphs) {
            for (Document document : SupergraphLoader.schemaDocuments(sdl)) {
                GraphQLSchema expected = UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().buildRegistry(document));
                assertThat(PRINTER.print(SchemaBuilder.build(document))).isEqualTo(PRINTER.print(expected));
                compared++;
            }
        }
        assertThat(compared).isEqualTo(2 * supergraphs.size());
    }

    @Test
    void customScalarVariablesAndArgumentsPassThrough() {
        Supergraph supergraph = SupergraphLoader.load(Composer.compose(List.of(new SubgraphSource("a", "http://127.0.0.1:1/graphql", """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
                scalar DateTime
                type Query { at(when: DateTime = "2026-01-01"): String }
                """))) instanceof CompositionResult.Composed c ? c.supergraphSdl() : null);
        GraphQLScalarType scalar = (GraphQLScalarType) supergraph.apiSchema().getType("DateTime");
        assertThat(scalar.getCoercing().parseValue("2026-12-06T00:00:00Z", GraphQLContext.getDefault(), Locale.ROOT))
                .isEqualTo("2026-12-06T00:00:00Z");
    }

    @Test
    void aFieldThatReturnsNoSubtypeOfItsInterfaceFieldsTypeIsRefused() {
        // the twins graphql-java validates type both fields String: this is SchemaBuilder's own check
        assertThatThrownBy(() -> SchemaBuilder.build(Parser.parse("""
                interface Named { friend: Named }
                type Person implements Named { friend: Robot }
                type Robot { id: ID }
                type Query { person: Person }
                """))).hasMessageContaining("object type 'Person' does not implement interface 'Named' because field 'friend' "
                + "is defined as 'Robot' type and not as 'Named' type");
    }

    @Test
    void subtypesOfInterfaceAndUnionFieldTypesAreAccepted() {
        String sdl = """
                interface Named { friend: Named pick: Pick! friends: [Named!] }
                union Pick = Person | Robot
                type Person implements Named { friend: Person pick: Robot! friends: [Person!]! }
                type Robot implements Named { friend: Named pick: Pick! friends: [Robot!] }
                type Query { person: Person robot: Robot }
                """;
        GraphQLSchema expected = UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().parse(sdl));
        assertThat(PRINTER.print(SchemaBuilder.build(Parser.parse(sdl)))).isEqualTo(PRINTER.print(expected));
    }

    @Test
    void aRootTypeThatImplementsAnInterfaceIsBuiltAndValidatedWhole() {
        String sdl = """
                interface Node { id: ID! next: Node }
                type Query implements Node { id: ID! next: Node item: Item }
                type Item implements Node { id: ID! next: Item back: Query }
                """;
        GraphQLSchema built = SchemaBuilder.build(Parser.parse(sdl));
        GraphQLSchema expected = UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().parse(sdl));
        assertThat(PRINTER.print(built)).isEqualTo(PRINTER.print(expected));
        assertThat(built.getObjectType("Item").getFieldDefinition("back").getType()).isSameAs(built.getQueryType());
    }

    @Test
    void anUnknownTypeIsNamedWithItsLine() {
        assertThatThrownBy(() -> SchemaBuilder.build(Parser.parse("type Query {\n  a: Missing\n}")))
                .hasMessageContaining("a refers to the type Missing, which is not defined (line 2)");
    }
}
