package dev.vestibule.router.execution;

import dev.vestibule.router.operation.Selection;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLUnionType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shapes the merged subgraph data into exactly the response the client asked for, against the API schema: fields in
 * the order of the query under their response keys, fragments applied by runtime type, nothing the query did not
 * select (keys, internal __typename), enum values the API schema hides nulled, and nulls propagated through
 * non-null fields to the nearest nullable parent, with an error where no subgraph error explains the null.
 */
public final class ResponseShaper {
    private static final Object PROPAGATE = new Object();
    private final GraphQLSchema apiSchema;

    /** The denied fields of the response being shaped (per thread: one shaper serves every request). */
    private final ThreadLocal<Denied> denied = new ThreadLocal<>();

    private record Denied(java.util.Set<Selection.Field> fields, java.util.Set<Selection.Field> reported) {
        Denied(java.util.Set<Selection.Field> fields) {
            this(fields, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        }
    }

    public ResponseShaper(GraphQLSchema apiSchema) {
        this.apiSchema = apiSchema;
    }

    /** The "data" of the response (null when a non-null root field is null), adding errors to {@code errors}. */
    public Map<String, Object> shape(Map<String, Object> data, List<Selection> selections, String rootType,
                                     List<Map<String, Object>> errors) {
        return shape(data, selections, rootType, errors, java.util.Set.of());
    }

    /** As above; the {@code denied} field selections are answered null with an authorization error (once each). */
    public Map<String, Object> shape(Map<String, Object> data, List<Selection> selections, String rootType,
                                     List<Map<String, Object>> errors, java.util.Set<Selection.Field> denied) {
        GraphQLObjectType root = (GraphQLObjectType) apiSchema.getType(rootType);
        this.denied.set(denied.isEmpty() ? null : new Denied(denied));
        Object shaped;
        try {
            shaped = shapeObject(data, root, selections, new ArrayList<>(), errors);
        } finally {
            this.denied.remove();
        }
        return shaped == PROPAGATE ? null : castMap(shaped);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }

    private Object shapeObject(Map<String, Object> object, GraphQLFieldsContainer type, List<Selection> selections,
                               List<Object> path, List<Map<String, Object>> errors) {
        Map<String, List<Selection.Field>> fields = new LinkedHashMap<>();
        collect(type, selections, fields);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Selection.Field>> entry : fields.entrySet()) {
            String key = entry.getKey();
            Selection.Field first = entry.getValue().get(0);
            if (first.isTypename()) {
                out.put(key, type.getName());
                continue;
            }
            if (first.name().equals("__schema") || first.name().equals("__type")) {
                out.put(key, object.get(key)); // answered by the router's introspection, already in API shape
                continue;
            }
            Denied hidden = denied.get();
            if (hidden != null && hidden.fields.contains(first)) {
                path.add(key);
                if (hidden.reported.add(first)) {
                    Map<String, Object> error = error("Unauthorized field or type", path);
                    error.put("extensions", Map.of("code", "UNAUTHORIZED_FIELD_OR_TYPE"));
                    errors.add(error);
                }
                GraphQLFieldDefinition definition = type.getFieldDefinition(first.name());
                path.remove(path.size() - 1);
                if (definition.getType() instanceof GraphQLNonNull) return PROPAGATE; // the error above explains the null
                out.put(key, null);
                continue;
            }
            GraphQLFieldDefinition definition = type.getFieldDefinition(first.name());
            List<Selection> subselections = new ArrayList<>();
            entry.getValue().forEach(f -> subselections.addAll(f.selections()));
            path.add(key);
            Object value = complete(object.get(key), definition.getType(), subselections, path, errors);
            path.remove(path.size() - 1);
            if (value == PROPAGATE) return PROPAGATE;
            out.put(key, value);
        }
        return out;
    }

    /** Fields by response key, in query order, through the fragments that apply to the object's type. */
    private void collect(GraphQLFieldsContainer type, List<Selection> selections, Map<String, List<Selection.Field>> into) {
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f -> into.computeIfAbsent(f.responseKey(), k -> new ArrayList<>()).add(f);
                case Selection.Fragment f -> {
                    if (f.typeCondition() == null || applies(f.typeCondition(), type)) collect(type, f.selections(), into);
                }
            }
        }
    }

    private boolean applies(String condition, GraphQLFieldsContainer container) {
        if (condition.equals(container.getName())) return true;
        if (!(container instanceof GraphQLObjectType type)) return false;
        GraphQLType conditionType = apiSchema.getType(condition);
        return switch (conditionType) {
            case GraphQLObjectType o -> o.getName().equals(type.getName());
            case GraphQLInterfaceType i -> type.getInterfaces().stream().anyMatch(t -> t.getName().equals(i.getName()));
            case GraphQLUnionType u -> u.getTypes().stream().anyMatch(t -> t.getName().equals(type.getName()));
            case null, default -> false;
        };
    }

    @SuppressWarnings("unchecked")
    private Object complete(Object value, GraphQLOutputType type, List<Selection> selections,
                            List<Object> path, List<Map<String, Object>> errors) {
        if (type instanceof GraphQLNonNull nonNull) {
            Object completed = complete(value, (GraphQLOutputType) nonNull.getWrappedType(), selections, path, errors);
            if (completed == null) {
                if (!explained(path, errors)) {
                    errors.add(error("Cannot return null for non-nullable field", path));
                }
                return PROPAGATE;
            }
            return completed;
        }
        if (value == null) return null;
        if (type instanceof GraphQLList list) {
            if (!(value instanceof List<?> items)) return invalid(path, errors, "a list");
            List<Object> out = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                path.add(i);
                Object item = complete(items.get(i), (GraphQLOutputType) list.getWrappedType(), selections, path, errors);
                path.remove(path.size() - 1);
                if (item == PROPAGATE) return null;
                out.add(item);
            }
            return out;
        }
        if (type instanceof GraphQLEnumType enumType) {
            if (enumType.getValue(String.valueOf(value)) == null) {
                errors.add(error("Invalid value '" + value + "' for enum " + enumType.getName(), path));
                return null;
            }
            return value;
        }
        if (type instanceof GraphQLFieldsContainer container) {
            if (!(value instanceof Map<?, ?> map)) return invalid(path, errors, "an object");
            GraphQLFieldsContainer runtime = runtimeType(container, (Map<String, Object>) map);
            // Only an @interfaceObject answered and nothing needed the concrete type: shape by the interface.
            if (runtime == null && container.getName().equals(((Map<?, ?>) map).get("__typename"))) runtime = container;
            if (runtime == null) return null; // a type the API schema hides: as if absent
            Object shaped = shapeObject((Map<String, Object>) map, runtime, selections, path, errors);
            return shaped == PROPAGATE ? null : shaped;
        }
        if (type instanceof GraphQLUnionType union) {
            if (!(value instanceof Map<?, ?> map)) return invalid(path, errors, "an object");
            GraphQLObjectType runtime = runtimeType(union, (Map<String, Object>) map);
            if (runtime == null) return null;
            Object shaped = shapeObject((Map<String, Object>) map, runtime, selections, path, errors);
            return shaped == PROPAGATE ? null : shaped;
        }
        return value; // scalars: what the subgraph sent
    }

    private GraphQLObjectType runtimeType(GraphQLType declared, Map<String, Object> object) {
        if (declared instanceof GraphQLObjectType object1) return object1;
        Object typename = object.get("__typename");
        return typename instanceof String name && apiSchema.getType(name) instanceof GraphQLObjectType runtime ? runtime : null;
    }

    private static Object invalid(List<Object> path, List<Map<String, Object>> errors, String expected) {
        errors.add(error("a subgraph returned a value that is not " + expected, path));
        return null;
    }

    /** A null whose cause is already reported: an error at this path, below it, or above it. */
    private static boolean explained(List<Object> path, List<Map<String, Object>> errors) {
        for (Map<String, Object> error : errors) {
            if (!(error.get("path") instanceof List<?> errorPath)) continue;
            int common = Math.min(errorPath.size(), path.size());
            if (errorPath.subList(0, common).equals(path.subList(0, common))) return true;
        }
        return false;
    }

    private static Map<String, Object> error(String message, List<Object> path) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("path", List.copyOf(path));
        return error;
    }
}
