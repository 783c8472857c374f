package dev.vestibule.router.execution;

import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Result coercion of a subgraph's value for a field of a built-in scalar type (the GraphQL spec's "Result Coercion"
 * of Int, Float, String, Boolean and ID): the value the answer carries, or {@link #INVALID} when the type cannot
 * represent it, which the shaper answers as null with a field error at the path that never repeats the value.
 *
 * <p>The value is a subgraph's response, which its own schema already serialized: result coercion happened there.
 * So a value is checked, not converted across JSON types: a string for an Int, a number for a String or a Boolean,
 * an object or a list for any of them is the subgraph breaking its contract, and converting it ("123" to 123,
 * true to "true", as graphql-js would) would hide that and answer something the subgraph never said. What JSON itself
 * does not tell apart is the same value: 1.0 is the Int 1. Two coercions the spec asks for are done: an Int outside
 * 32 bits is a field error, and an integer ID is written as the string the spec serializes IDs as. Custom scalars
 * pass through as they came (their serialization is the subgraph's business).
 */
final class ScalarCoercion {
    /** What {@link #coerce} returns for a value the type cannot represent. */
    static final Object INVALID = new Object();

    private final GraphQLScalarType intType;
    private final GraphQLScalarType floatType;
    private final GraphQLScalarType stringType;
    private final GraphQLScalarType booleanType;
    private final GraphQLScalarType idType;

    /** The built-in scalars of {@code schema}, known by identity (checked for every leaf value of an answer). */
    ScalarCoercion(GraphQLSchema schema) {
        intType = builtIn(schema, "Int");
        floatType = builtIn(schema, "Float");
        stringType = builtIn(schema, "String");
        booleanType = builtIn(schema, "Boolean");
        idType = builtIn(schema, "ID");
    }

    private static GraphQLScalarType builtIn(GraphQLSchema schema, String name) {
        return schema.getType(name) instanceof GraphQLScalarType scalar ? scalar : null;
    }

    private enum Kind { INT, FLOAT, STRING, BOOLEAN, ID, CUSTOM }

    /** The value to write for {@code value} (not null) as {@code type}, or {@link #INVALID}. */
    Object coerce(GraphQLScalarType type, Object value) {
        Kind kind = type == stringType ? Kind.STRING : type == intType ? Kind.INT : type == idType ? Kind.ID
                : type == booleanType ? Kind.BOOLEAN : type == floatType ? Kind.FLOAT : byName(type.getName());
        return switch (kind) {
            case STRING -> value instanceof String ? value : INVALID;
            case INT -> value instanceof Integer ? value : value instanceof Number n ? int32(n) : INVALID;
            case BOOLEAN -> value instanceof Boolean ? value : INVALID;
            case ID -> {
                if (value instanceof String) yield value;
                if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) yield value.toString();
                yield value instanceof Number n && integral(n) instanceof BigInteger integer ? integer.toString() : INVALID;
            }
            case FLOAT -> value instanceof Double d ? (Double.isFinite(d) ? d : INVALID) // 1e400 reads as infinity
                    : value instanceof Number ? value : INVALID;
            case CUSTOM -> value;
        };
    }

    /** A built-in scalar of another schema instance than the one given (a type from another build), else custom. */
    private static Kind byName(String name) {
        return switch (name) {
            case "Int" -> Kind.INT;
            case "Float" -> Kind.FLOAT;
            case "String" -> Kind.STRING;
            case "Boolean" -> Kind.BOOLEAN;
            case "ID" -> Kind.ID;
            default -> Kind.CUSTOM;
        };
    }

    /** The number as an Int when it is a whole number within 32 bits (1.0 is 1), else INVALID. */
    private static Object int32(Number n) {
        BigInteger integer = integral(n);
        if (integer == null || integer.bitLength() > 31) return INVALID;
        return integer.intValue();
    }

    /** The whole number {@code n} is, or null when it has a fraction or is not finite. */
    private static BigInteger integral(Number n) {
        if (n instanceof Integer || n instanceof Long) return BigInteger.valueOf(n.longValue());
        if (n instanceof BigInteger integer) return integer;
        if (n instanceof Double d && !Double.isFinite(d)) return null;
        try {
            BigDecimal decimal = new BigDecimal(n.toString());
            return decimal.signum() == 0 ? BigInteger.ZERO : decimal.stripTrailingZeros().scale() <= 0 ? decimal.toBigIntegerExact() : null;
        } catch (NumberFormatException | ArithmeticException notANumber) {
            return null;
        }
    }
}
