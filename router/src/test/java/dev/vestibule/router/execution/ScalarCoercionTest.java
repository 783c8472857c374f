package dev.vestibule.router.execution;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.Scalars;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which subgraph values each built-in scalar accepts, and what it writes for them (the spec's result coercion). */
class ScalarCoercionTest {
    private static final GraphQLScalarType JSON = GraphQLScalarType.newScalar().name("JSON")
            .coercing(Scalars.GraphQLString.getCoercing()).build();
    private static final ScalarCoercion COERCION = new ScalarCoercion(GraphQLSchema.newSchema().query(GraphQLObjectType.newObject()
            .name("Query")
            .field(GraphQLFieldDefinition.newFieldDefinition().name("i").type(Scalars.GraphQLInt))
            .field(GraphQLFieldDefinition.newFieldDefinition().name("f").type(Scalars.GraphQLFloat))
            .field(GraphQLFieldDefinition.newFieldDefinition().name("s").type(Scalars.GraphQLString))
            .field(GraphQLFieldDefinition.newFieldDefinition().name("b").type(Scalars.GraphQLBoolean))
            .field(GraphQLFieldDefinition.newFieldDefinition().name("id").type(Scalars.GraphQLID))
            .field(GraphQLFieldDefinition.newFieldDefinition().name("j").type(JSON))).build());
    private static final Object INVALID = ScalarCoercion.INVALID;

    private static Object as(GraphQLScalarType type, Object value) {
        return COERCION.coerce(type, value);
    }

    @Test
    void intTakesWholeNumbersWithin32Bits() {
        assertThat(as(Scalars.GraphQLInt, 7)).isEqualTo(7);
        assertThat(as(Scalars.GraphQLInt, 12.0)).isEqualTo(12); // JSON's 12.0 is the number 12
        assertThat(as(Scalars.GraphQLInt, -2147483648L)).isEqualTo(Integer.MIN_VALUE);
        assertThat(as(Scalars.GraphQLInt, 2147483648L)).isSameAs(INVALID);
        assertThat(as(Scalars.GraphQLInt, new BigInteger("99999999999999999999"))).isSameAs(INVALID);
        assertThat(as(Scalars.GraphQLInt, 1.5)).isSameAs(INVALID);
        assertThat(as(Scalars.GraphQLInt, Double.POSITIVE_INFINITY)).isSameAs(INVALID);
        assertThat(as(Scalars.GraphQLInt, "7")).isSameAs(INVALID);
        assertThat(as(Scalars.GraphQLInt, true)).isSameAs(INVALID);
        assertThat(as(Scalars.GraphQLInt, List.of(7))).isSameAs(INVALID);
    }

    @Test
    void floatTakesFiniteNumbers() {
        assertThat(as(Scalars.GraphQLFloat, 1.25)).isEqualTo(1.25);
        assertThat(as(Scalars.GraphQLFloat, 3)).isEqualTo(3);
        assertThat(as(Scalars.GraphQLFloat, new BigInteger("99999999999999999999"))).isEqualTo(new BigInteger("99999999999999999999"));
        assertThat(as(Scalars.GraphQLFloat, Double.POSITIVE_INFINITY)).isSameAs(INVALID);
        assertThat(as(Scalars.GraphQLFloat, "1.25")).isSameAs(INVALID);
        assertThat(as(Scalars.GraphQLFloat, false)).isSameAs(INVALID);
    }

    @Test
    void stringAndBooleanTakeOnlyTheirOwnJsonType() {
        assertThat(as(Scalars.GraphQLString, "x")).isEqualTo("x");
        assertThat(as(Scalars.GraphQLString, 5)).isSameAs(INVALID);
        assertThat(as(Scalars.GraphQLString, true)).isSameAs(INVALID);
        assertThat(as(Scalars.GraphQLString, Map.of("k", "v"))).isSameAs(INVALID);
        assertThat(as(Scalars.GraphQLBoolean, true)).isEqualTo(true);
        assertThat(as(Scalars.GraphQLBoolean, 1)).isSameAs(INVALID);
        assertThat(as(Scalars.GraphQLBoolean, "true")).isSameAs(INVALID);
    }

    @Test
    void idTakesStringsAndWholeNumbersWrittenAsStrings() {
        assertThat(as(Scalars.GraphQLID, "a1")).isEqualTo("a1");
        assertThat(as(Scalars.GraphQLID, 42)).isEqualTo("42");
        assertThat(as(Scalars.GraphQLID, 9007199254740993L)).isEqualTo("9007199254740993");
        assertThat(as(Scalars.GraphQLID, 42.0)).isEqualTo("42");
        assertThat(as(Scalars.GraphQLID, 4.2)).isSameAs(INVALID);
        assertThat(as(Scalars.GraphQLID, false)).isSameAs(INVALID);
        assertThat(as(Scalars.GraphQLID, Map.of())).isSameAs(INVALID);
    }

    @Test
    void customScalarsPassThroughAsTheyCame() {
        Map<String, Object> value = Map.of("any", List.of(1, "shape"));
        assertThat(as(JSON, value)).isSameAs(value);
        assertThat(as(JSON, 5)).isEqualTo(5);
    }
}
