package dev.vestibule.router.supergraph;

import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLUnionType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which object types one schema allows where another type is named: the one place that answers "is this type possible
 * here" for the planner (type conditions, union members, interface implementations), the executor (fragments of
 * {@code @requires} on a representation) and the shaper (fragments on the object being written). Built once per
 * schema; an answer is a lookup in a set made up front rather than a scan of the implementations or members (the shaper
 * asks once per fragment per object it writes).
 */
public final class TypeRelations {
    private final GraphQLSchema schema;
    /** The object types of each interface and union, by its name; an object type is possible only as itself. */
    private final Map<String, Set<String>> possibleTypes = new HashMap<>();
    /** The same, in the schema's order, for the planner to walk. */
    private final Map<String, List<GraphQLObjectType>> possibleObjects = new HashMap<>();

    public TypeRelations(GraphQLSchema schema) {
        this.schema = schema;
        for (GraphQLNamedType type : schema.getAllTypesAsList()) {
            List<GraphQLObjectType> objects = switch (type) {
                case GraphQLInterfaceType i -> schema.getImplementations(i);
                case GraphQLUnionType u -> u.getTypes().stream().map(t -> (GraphQLObjectType) t).toList();
                default -> null;
            };
            if (objects == null) continue;
            possibleObjects.put(type.getName(), List.copyOf(objects));
            Set<String> names = new HashSet<>();
            for (GraphQLObjectType object : objects) names.add(object.getName());
            possibleTypes.put(type.getName(), Set.copyOf(names));
        }
    }

    /**
     * Whether an object of type {@code objectType} can be where {@code type} is named (a fragment's type condition, a
     * field's type): it is that object type, implements that interface, or is a member of that union. False when
     * {@code type} is not in the schema or is not a composite type.
     */
    public boolean isPossibleType(String type, String objectType) {
        Set<String> objects = possibleTypes.get(type);
        if (objects != null) return objects.contains(objectType);
        return type.equals(objectType) && schema.getType(type) instanceof GraphQLObjectType;
    }

    /** Whether the named type is an interface or a union (false when the schema has no such type). */
    public boolean isAbstract(String type) {
        return possibleTypes.containsKey(type);
    }

    /** Whether a type is an interface or a union. */
    public static boolean isAbstract(GraphQLType type) {
        return type instanceof GraphQLInterfaceType || type instanceof GraphQLUnionType;
    }

    /** The object types of an interface or union, in the schema's order; empty for any other type. */
    public List<GraphQLObjectType> possibleObjects(GraphQLNamedType type) {
        return possibleObjects.getOrDefault(type.getName(), List.of());
    }
}
