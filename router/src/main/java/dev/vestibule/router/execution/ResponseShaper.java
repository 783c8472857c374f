package dev.vestibule.router.execution;

import com.fasterxml.jackson.core.io.SerializedString;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shapes the merged subgraph data into exactly the response the client asked for, against the API schema: fields in
 * the order of the query under their response keys, fragments applied by runtime type, nothing the query did not
 * select (keys, internal __typename), enum values the API schema hides nulled, and nulls propagated through
 * non-null fields to the nearest nullable parent, with an error where no subgraph error explains the null.
 *
 * <p>Which fields an object of a type gets from a selection set is worked out once per (selection set, type) and
 * kept ({@link Shape}); objects are built as {@link ShapedObject}s over the shape's shared names.
 */
public final class ResponseShaper {
    private static final Object PROPAGATE = new Object();
    /** Shapes kept at most; past it the cache starts afresh (plans are cached too, so shapes repeat). */
    private static final int MAX_SHAPES = 100_000;

    private final GraphQLSchema apiSchema;
    private final Map<ShapeKey, Shape> shapes = new ConcurrentHashMap<>();

    /**
     * A selection set (by identity: plans are immutable and cached) seen on one type, with the values of the
     * variables its @skip/@include read (the same plan serves every value).
     */
    private record ShapeKey(List<Selection> selections, GraphQLFieldsContainer type, Map<String, Object> conditions) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ShapeKey k && k.selections == selections && k.type == type && k.conditions.equals(conditions);
        }

        @Override
        public int hashCode() {
            return (System.identityHashCode(selections) * 31 + System.identityHashCode(type)) * 31 + conditions.hashCode();
        }
    }

    /** What an object of one type gets from one selection set: its fields in response order. */
    private record Shape(String[] keys, SerializedString[] names, ShapedField[] fields) {}

    /**
     * One response key: the first field selected under it, its definition (null for __typename and introspection),
     * and the sub-selections of every field merged under the key.
     */
    private record ShapedField(String key, Selection.Field first, GraphQLFieldDefinition definition, List<Selection> selections) {}

    /** The denied fields of one response, and those already reported (one error each). */
    private record Denied(java.util.Set<Selection.Field> fields, java.util.Set<Selection.Field> reported) {
        static final Denied NONE = new Denied(java.util.Set.of(), java.util.Set.of());

        Denied(java.util.Set<Selection.Field> fields) {
            this(fields, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        }
    }

    /** The state of shaping one response; {@code conditions}: the values of the variables @skip/@include read. */
    private record Shaping(ResponsePath path, List<Map<String, Object>> errors, Denied denied, Map<String, Object> conditions) {}

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
        return shape(data, selections, rootType, errors, denied, Map.of());
    }

    /**
     * As above, deciding the @skip/@include of the selections with {@code conditionValues} (the request's values of
     * the variables they read).
     */
    public Map<String, Object> shape(Map<String, Object> data, List<Selection> selections, String rootType,
                                     List<Map<String, Object>> errors, java.util.Set<Selection.Field> denied,
                                     Map<String, Object> conditionValues) {
        GraphQLObjectType root = (GraphQLObjectType) apiSchema.getType(rootType);
        Shaping shaping = new Shaping(new ResponsePath(), errors, denied.isEmpty() ? Denied.NONE : new Denied(denied), conditionValues);
        Object shaped = shapeObject(data, root, selections, shaping);
        return shaped == PROPAGATE ? null : castMap(shaped);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }

    private Object shapeObject(Map<String, Object> object, GraphQLFieldsContainer type, List<Selection> selections, Shaping shaping) {
        Shape shape = shapeOf(type, selections, shaping.conditions());
        ShapedField[] fields = shape.fields();
        Object[] values = new Object[fields.length];
        ResponsePath path = shaping.path();
        for (int i = 0; i < fields.length; i++) {
            ShapedField field = fields[i];
            Selection.Field first = field.first();
            if (field.definition() == null) {
                // __typename is the object's own type; __schema/__type come from the router's introspection, in API shape
                values[i] = first.isTypename() ? type.getName() : object.get(field.key());
                continue;
            }
            if (shaping.denied().fields().contains(first)) {
                path.push(field.key());
                if (shaping.denied().reported().add(first)) {
                    Map<String, Object> error = error("Unauthorized field or type", path);
                    error.put("extensions", Map.of("code", "UNAUTHORIZED_FIELD_OR_TYPE"));
                    shaping.errors().add(error);
                }
                path.pop();
                if (field.definition().getType() instanceof GraphQLNonNull) return PROPAGATE; // the error above explains the null
                values[i] = null;
                continue;
            }
            path.push(field.key());
            Object value = complete(object.get(field.key()), field.definition().getType(), field.selections(), shaping);
            path.pop();
            if (value == PROPAGATE) return PROPAGATE;
            values[i] = value;
        }
        return new ShapedObject(shape.keys(), shape.names(), values);
    }

    private Shape shapeOf(GraphQLFieldsContainer type, List<Selection> selections, Map<String, Object> conditions) {
        ShapeKey key = new ShapeKey(selections, type, conditions);
        Shape shape = shapes.get(key);
        if (shape != null) return shape;
        if (shapes.size() >= MAX_SHAPES) shapes.clear();
        shape = newShape(type, selections, conditions);
        Shape raced = shapes.putIfAbsent(key, shape);
        return raced != null ? raced : shape;
    }

    private Shape newShape(GraphQLFieldsContainer type, List<Selection> selections, Map<String, Object> conditions) {
        Map<String, List<Selection.Field>> byKey = new LinkedHashMap<>();
        collect(type, selections, conditions, byKey);
        String[] keys = new String[byKey.size()];
        SerializedString[] names = new SerializedString[byKey.size()];
        ShapedField[] fields = new ShapedField[byKey.size()];
        int i = 0;
        for (Map.Entry<String, List<Selection.Field>> entry : byKey.entrySet()) {
            Selection.Field first = entry.getValue().get(0);
            boolean routerAnswered = first.isTypename() || first.name().equals("__schema") || first.name().equals("__type");
            List<Selection> subselections;
            if (entry.getValue().size() == 1) {
                subselections = first.selections();
            } else {
                List<Selection> merged = new ArrayList<>();
                entry.getValue().forEach(f -> merged.addAll(f.selections()));
                subselections = List.copyOf(merged);
            }
            // interned: the key is looked up in every object of this shape, whose keys Jackson interned
            String key = entry.getKey().intern();
            keys[i] = key;
            names[i] = new SerializedString(key);
            fields[i] = new ShapedField(key, first, routerAnswered ? null : type.getFieldDefinition(first.name()), subselections);
            i++;
        }
        return new Shape(keys, names, fields);
    }

    /**
     * Fields by response key, in query order, through the fragments that apply to the object's type and whose
     * @skip/@include hold.
     */
    private void collect(GraphQLFieldsContainer type, List<Selection> selections, Map<String, Object> conditions,
                         Map<String, List<Selection.Field>> into) {
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f -> into.computeIfAbsent(f.responseKey(), k -> new ArrayList<>()).add(f);
                case Selection.Fragment f -> {
                    if (f.applies(conditions) && (f.typeCondition() == null || applies(f.typeCondition(), type))) {
                        collect(type, f.selections(), conditions, into);
                    }
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
    private Object complete(Object value, GraphQLOutputType type, List<Selection> selections, Shaping shaping) {
        ResponsePath path = shaping.path();
        if (type instanceof GraphQLNonNull nonNull) {
            Object completed = complete(value, (GraphQLOutputType) nonNull.getWrappedType(), selections, shaping);
            if (completed == null) {
                if (!explained(path, shaping.errors())) {
                    shaping.errors().add(error("Cannot return null for non-nullable field", path));
                }
                return PROPAGATE;
            }
            return completed;
        }
        if (value == null) return null;
        if (type instanceof GraphQLList list) {
            if (!(value instanceof List<?> items)) return invalid(shaping, "a list");
            GraphQLOutputType itemType = (GraphQLOutputType) list.getWrappedType();
            Object[] out = new Object[items.size()];
            for (int i = 0; i < out.length; i++) {
                path.push(i);
                Object item = complete(items.get(i), itemType, selections, shaping);
                path.pop();
                if (item == PROPAGATE) return null;
                out[i] = item;
            }
            return java.util.Arrays.asList(out);
        }
        if (type instanceof GraphQLEnumType enumType) {
            if (enumType.getValue(String.valueOf(value)) == null) {
                shaping.errors().add(error("Invalid value '" + value + "' for enum " + enumType.getName(), path));
                return null;
            }
            return value;
        }
        if (type instanceof GraphQLFieldsContainer container) {
            if (!(value instanceof Map<?, ?> map)) return invalid(shaping, "an object");
            GraphQLFieldsContainer runtime = runtimeType(container, (Map<String, Object>) map);
            // Only an @interfaceObject answered and nothing needed the concrete type: shape by the interface.
            if (runtime == null && container.getName().equals(((Map<?, ?>) map).get("__typename"))) runtime = container;
            if (runtime == null) return null; // a type the API schema hides: as if absent
            Object shaped = shapeObject((Map<String, Object>) map, runtime, selections, shaping);
            return shaped == PROPAGATE ? null : shaped;
        }
        if (type instanceof GraphQLUnionType union) {
            if (!(value instanceof Map<?, ?> map)) return invalid(shaping, "an object");
            GraphQLObjectType runtime = runtimeType(union, (Map<String, Object>) map);
            if (runtime == null) return null;
            Object shaped = shapeObject((Map<String, Object>) map, runtime, selections, shaping);
            return shaped == PROPAGATE ? null : shaped;
        }
        return value; // scalars: what the subgraph sent
    }

    private GraphQLObjectType runtimeType(GraphQLType declared, Map<String, Object> object) {
        if (declared instanceof GraphQLObjectType object1) return object1;
        Object typename = object.get("__typename");
        return typename instanceof String name && apiSchema.getType(name) instanceof GraphQLObjectType runtime ? runtime : null;
    }

    private static Object invalid(Shaping shaping, String expected) {
        shaping.errors().add(error("a subgraph returned a value that is not " + expected, shaping.path()));
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
