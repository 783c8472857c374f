package dev.vestibule.router.supergraph;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.junit.jupiter.api.Test;

/** The one answer to "is this type possible here" that planner, executor and shaper share. */
class TypeRelationsTest {
    private static final GraphQLSchema SCHEMA = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("""
            type Query { node: Node media: Media lonely: Lonely }
            interface Node { id: ID! }
            interface Lonely { id: ID! }
            type Book implements Node { id: ID! title: String }
            type Movie implements Node { id: ID! length: Int }
            type Song { title: String }
            union Media = Book | Song
            """), RuntimeWiring.MOCKED_WIRING);
    private final TypeRelations relations = new TypeRelations(SCHEMA);

    @Test
    void anObjectIsPossibleWhereItsInterfacesItsUnionsOrItselfAreNamed() {
        assertThat(relations.isPossibleType("Node", "Book")).isTrue();
        assertThat(relations.isPossibleType("Node", "Movie")).isTrue();
        assertThat(relations.isPossibleType("Node", "Song")).isFalse();
        assertThat(relations.isPossibleType("Media", "Song")).isTrue();
        assertThat(relations.isPossibleType("Media", "Movie")).isFalse();
        assertThat(relations.isPossibleType("Book", "Book")).isTrue();
        assertThat(relations.isPossibleType("Book", "Movie")).isFalse();
    }

    @Test
    void namesThatAreNotCompositeTypesOfTheSchemaAllowNothing() {
        assertThat(relations.isPossibleType("Nowhere", "Nowhere")).isFalse();
        assertThat(relations.isPossibleType("String", "String")).isFalse();
        assertThat(relations.isPossibleType("Lonely", "Book")).isFalse();
    }

    @Test
    void interfacesAndUnionsAreAbstractAndListTheirObjectsInTheSchemasOrder() {
        assertThat(relations.isAbstract("Node")).isTrue();
        assertThat(relations.isAbstract("Lonely")).isTrue();
        assertThat(relations.isAbstract("Media")).isTrue();
        assertThat(relations.isAbstract("Book")).isFalse();
        assertThat(relations.isAbstract("Nowhere")).isFalse();
        assertThat(relations.possibleObjects((GraphQLNamedType) SCHEMA.getType("Media")))
                .extracting(GraphQLObjectType::getName).containsExactly("Book", "Song");
        assertThat(relations.possibleObjects((GraphQLNamedType) SCHEMA.getType("Node")))
                .extracting(GraphQLObjectType::getName).containsExactlyInAnyOrder("Book", "Movie");
        assertThat(relations.possibleObjects((GraphQLNamedType) SCHEMA.getType("Lonely"))).isEmpty();
        assertThat(relations.possibleObjects((GraphQLNamedType) SCHEMA.getType("Book"))).isEmpty();
    }
}
