package dev.vestibule.router.bff;

import dev.vestibule.router.Gateway;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.RequestError;
import graphql.language.Document;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.OperationDefinition;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.VariableDefinition;
import graphql.parser.Parser;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prepares (parses, validates, plans) a BFF operation against a gateway's supergraph, so that the documents and plans
 * are cached before the first request, and a supergraph that breaks an operation is found when it loads. The engine
 * prepares with the request's variables: here each required variable gets a placeholder of its type (validation and
 * planning do not depend on the values; one plan serves every value).
 */
final class OperationCheck {
    private OperationCheck() {}

    /** Null when the operation prepares; else what is wrong, in the engine's words (its GraphQL errors' messages). */
    static String problem(Gateway gateway, BffOperation<?, ?> operation) {
        Map<String, Object> variables;
        try {
            variables = placeholders(gateway.supergraph().apiSchema(), operation);
        } catch (RuntimeException e) {
            return "its document does not parse: " + e.getMessage();
        }
        try {
            gateway.prepare(new GraphQLRequest(operation.document(), operation.name(), variables, Map.of()), null);
            return null;
        } catch (RequestError e) {
            return String.join("; ", e.errors().stream().map(error -> String.valueOf(error.get("message"))).toList());
        }
    }

    private static Map<String, Object> placeholders(GraphQLSchema schema, BffOperation<?, ?> operation) {
        Document document = Parser.parse(operation.document());
        Map<String, Object> values = new LinkedHashMap<>();
        for (OperationDefinition definition : document.getDefinitionsOfType(OperationDefinition.class)) {
            if (operation.name().equals(definition.getName())) {
                for (VariableDefinition variable : definition.getVariableDefinitions()) {
                    if (variable.getType() instanceof NonNullType && variable.getDefaultValue() == null) {
                        values.put(variable.getName(), placeholder(schema, variable.getType()));
                    }
                }
            }
        }
        return values;
    }

    private static Object placeholder(GraphQLSchema schema, Type<?> type) {
        return switch (type) {
            case NonNullType nonNull -> placeholder(schema, nonNull.getType());
            case ListType list -> List.of();
            case TypeName name -> schema.getType(name.getName()) instanceof GraphQLNamedType named ? placeholder(named) : null;
            default -> null;
        };
    }

    private static Object placeholder(GraphQLNamedType type) {
        return switch (type) {
            case GraphQLEnumType enumType -> enumType.getValues().get(0).getName();
            case GraphQLInputObjectType input -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                for (GraphQLInputObjectField field : input.getFieldDefinitions()) {
                    if (GraphQLTypeUtil.isNonNull(field.getType()) && !field.hasSetDefaultValue()) {
                        fields.put(field.getName(), placeholder(field.getType()));
                    }
                }
                yield fields;
            }
            case null -> null; // an unknown type: validation names it
            default -> switch (type.getName()) {
                case "Int", "Float" -> 0;
                case "Boolean" -> false;
                default -> "0"; // String, ID and custom scalars: a string is what most accept
            };
        };
    }

    private static Object placeholder(GraphQLInputType type) {
        return switch (type) {
            case GraphQLNonNull nonNull -> placeholder((GraphQLInputType) nonNull.getWrappedType());
            case GraphQLList list -> List.of();
            case GraphQLNamedType named -> placeholder(named);
            default -> null;
        };
    }
}
