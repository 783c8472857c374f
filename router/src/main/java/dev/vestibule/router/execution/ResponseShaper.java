package dev.vestibule.router.execution;

import dev.vestibule.router.json.JsonOutput;
import dev.vestibule.router.operation.GraphQLErrors;
import dev.vestibule.router.operation.Selection;
import dev.vestibule.router.supergraph.TypeRelations;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLUnionType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shapes the merged subgraph data into exactly the response the client asked for, against the API schema: fields in
 * the order of the query under their response keys, fragments applied by runtime type, nothing the query did not
 * select (keys, internal __typename), enum values the API schema hides nulled, values a leaf's type cannot represent
 * (a string for an Int, an object for a String: {@link ScalarCoercion}) nulled with an error that does not repeat
 * them, and nulls propagated through non-null fields to the nearest nullable parent, with an error where no subgraph
 * error explains the null.
 *
 * <p>The shaped data is written as JSON while the merged data is walked, with no second tree: a value that null
 * propagation turns into null after part of it was written is cut back to where it began ({@link JsonOutput#truncate})
 * and written as null. Which fields an object of a type gets from a selection set is worked out once per (selection
 * set, type) and kept ({@link Shape}), with each field's name JSON-encoded once.
 */
public final class ResponseShaper {
    /** What completing a value wrote: the value; null; or nothing usable, because a non-null value came out null. */
    private static final int VALUE = 0, NULL = 1, PROPAGATE = 2;
    /** Shapes kept at most; past it the cache starts afresh (plans are cached too, so shapes repeat). */
    private static final int MAX_SHAPES = 100_000;

    private final GraphQLSchema apiSchema;
    /** Which objects a fragment's type condition applies to, in the API schema (the schema the operation was validated on). */
    private final TypeRelations relations;
    /** The supergraph's full schema: tells an enum value the API schema hides (@inaccessible) from one nobody defined. */
    private final GraphQLSchema fullSchema;
    private final ScalarCoercion scalars;
    /** The interfaces some subgraph knows only as an object type (@interfaceObject): see {@link #complete}. */
    private final Set<String> interfaceObjects;
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

    /**
     * What an object of one type gets from one selection set: its fields in response order; on an interface, whether
     * the selection needs the object's concrete type ({@link #asksConcreteType}).
     */
    private record Shape(ShapedField[] fields, boolean asksConcreteType) {}

    /**
     * One response key: how it is written ({@code "key":}, with a comma before it when it is not the object's first),
     * the first field selected under it, its definition (null for __typename and introspection), and the
     * sub-selections of every field merged under the key.
     */
    private record ShapedField(String key, byte[] name, Selection.Field first, GraphQLFieldDefinition definition,
                               List<Selection> selections) {}

    /** The denied fields of one response, and those already reported (one error each). */
    private record Denied(Set<Selection.Field> fields, Set<Selection.Field> reported) {
        static final Denied NONE = new Denied(Set.of(), Set.of());

        Denied(Set<Selection.Field> fields) {
            this(fields, Collections.newSetFromMap(new IdentityHashMap<>()));
        }
    }

    /** The state of shaping one response; {@code conditions}: the values of the variables @skip/@include read. */
    private record Shaping(ResponsePath path, List<Map<String, Object>> errors, Denied denied, Map<String, Object> conditions) {}

    /** {@code interfaceObjects}: the interfaces some subgraph knows only as an object type (@interfaceObject). */
    public ResponseShaper(GraphQLSchema apiSchema, GraphQLSchema fullSchema, Set<String> interfaceObjects) {
        this.apiSchema = apiSchema;
        this.interfaceObjects = Set.copyOf(interfaceObjects);
        this.relations = new TypeRelations(apiSchema);
        this.fullSchema = fullSchema;
        this.scalars = new ScalarCoercion(apiSchema);
    }

    /**
     * Writes the "data" of the response (null when a non-null root field is null) to {@code out}, adding errors to
     * {@code errors}; the {@code denied} field selections are answered null with an authorization error (once each),
     * and @skip/@include are decided by {@code conditionValues} (the request's values of the variables they read).
     */
    public void write(JsonOutput out, Map<String, Object> data, List<Selection> selections, String rootType,
                      List<Map<String, Object>> errors, Set<Selection.Field> denied,
                      Map<String, Object> conditionValues) {
        GraphQLObjectType root = (GraphQLObjectType) apiSchema.getType(rootType);
        for (int i = 0, n = errors.size(); i < n; i++) errors.set(i, withinOperation(errors.get(i), selections));
        Shaping shaping = new Shaping(new ResponsePath(), errors, denied.isEmpty() ? Denied.NONE : new Denied(denied), conditionValues);
        int start = out.position();
        if (writeObject(out, data, root, selections, shaping) == PROPAGATE) {
            out.truncate(start);
            out.nullValue();
        }
    }

    /**
     * The error with its path cut before the first response key the operation does not select there: a failed fetch
     * is reported at the fields it was to fill, which can be fields only the router asked for (a key's {@code selected {
     * id }}, a @requires field, an internal alias). A client finds such a path nowhere in its answer; cut, it names the
     * object the failure left incomplete ({@code [bb, 0, data]} becomes {@code [bb, 0]}). A path cut to nothing is
     * dropped. The fields of every fragment count, whatever its type condition.
     */
    static Map<String, Object> withinOperation(Map<String, Object> error, List<Selection> selections) {
        if (!(error.get("path") instanceof List<?> path)) return error;
        List<Selection> level = selections;
        for (int i = 0, n = path.size(); i < n; i++) {
            if (!(path.get(i) instanceof String key)) continue; // a list index: the same selections
            List<Selection> below = new ArrayList<>();
            if (!selects(level, key, below)) {
                Map<String, Object> cut = new LinkedHashMap<>(error);
                if (i == 0) cut.remove("path");
                else cut.put("path", List.copyOf(path.subList(0, i)));
                return cut;
            }
            level = below;
        }
        return error;
    }

    /** Whether {@code selections} select {@code key}; the selections under every field answering to it go to {@code below}. */
    private static boolean selects(List<Selection> selections, String key, List<Selection> below) {
        boolean found = false;
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f when f.responseKey().equals(key) -> {
                    below.addAll(f.selections());
                    found = true;
                }
                case Selection.Field f -> { }
                case Selection.Fragment f -> found |= selects(f.selections(), key, below);
            }
        }
        return found;
    }

    /** Writes the object's selected fields; PROPAGATE when a non-null one is null (the object is then null). */
    private int writeObject(JsonOutput out, Map<String, Object> object, GraphQLFieldsContainer type, List<Selection> selections,
                            Shaping shaping) {
        ShapedField[] fields = shapeOf(type, selections, shaping.conditions()).fields();
        ResponsePath path = shaping.path();
        out.raw((byte) '{');
        for (int i = 0; i < fields.length; i++) {
            ShapedField field = fields[i];
            Selection.Field first = field.first();
            byte[] name = field.name();
            if (i == 0) out.raw(name, 1, name.length - 1);
            else out.raw(name);
            if (field.definition() == null) {
                // __typename is the object's own type; __schema/__type come from the router's introspection, in API shape
                out.value(first.isTypename() ? type.getName() : object.get(field.key()));
                continue;
            }
            if (shaping.denied().fields().contains(first)) {
                path.push(field.key());
                if (shaping.denied().reported().add(first)) {
                    shaping.errors().add(GraphQLErrors.error("Unauthorized field or type", path,
                            Map.of("code", "UNAUTHORIZED_FIELD_OR_TYPE")));
                }
                path.pop();
                if (field.definition().getType() instanceof GraphQLNonNull) return PROPAGATE; // the error above explains the null
                out.nullValue();
                continue;
            }
            path.push(field.key());
            int written = complete(out, object.get(field.key()), field.definition().getType(), field.selections(), shaping);
            path.pop();
            if (written == PROPAGATE) return PROPAGATE;
        }
        out.raw((byte) '}');
        return VALUE;
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
        ShapedField[] fields = new ShapedField[byKey.size()];
        int i = 0;
        for (Map.Entry<String, List<Selection.Field>> entry : byKey.entrySet()) {
            Selection.Field first = entry.getValue().get(0);
            boolean routerAnswered = first.isTypename() || first.isIntrospection();
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
            byte[] encoded = JsonOutput.fieldName(key);
            byte[] name = new byte[encoded.length + 1];
            name[0] = ',';
            System.arraycopy(encoded, 0, name, 1, encoded.length);
            fields[i] = new ShapedField(key, name, first, routerAnswered ? null : type.getFieldDefinition(first.name()), subselections);
            i++;
        }
        return new Shape(fields, type instanceof GraphQLInterfaceType && asksConcreteType(type.getName(), selections, conditions));
    }

    /**
     * Whether the selections, as their @skip/@include decide for this request, need an object's concrete type: the
     * planner asks the subgraph that owns an @interfaceObject's interface for it exactly then (the same rule,
     * Selection.needsConcreteType).
     */
    private static boolean asksConcreteType(String iface, List<Selection> selections, Map<String, Object> conditions) {
        return Selection.needsConcreteType(iface, selections, f -> f.applies(conditions));
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
        return container instanceof GraphQLObjectType type && relations.isPossibleType(condition, type.getName());
    }

    /** Writes the completed value: VALUE, NULL, or (for a non-null type) PROPAGATE when it came out null. */
    @SuppressWarnings("unchecked")
    private int complete(JsonOutput out, Object value, GraphQLOutputType type, List<Selection> selections, Shaping shaping) {
        ResponsePath path = shaping.path();
        if (type instanceof GraphQLNonNull nonNull) {
            int written = complete(out, value, (GraphQLOutputType) nonNull.getWrappedType(), selections, shaping);
            if (written == NULL) {
                if (!explained(path, shaping.errors())) {
                    shaping.errors().add(GraphQLErrors.error("Cannot return null for non-nullable field", path));
                }
                return PROPAGATE;
            }
            return written;
        }
        if (value == null) {
            out.nullValue();
            return NULL;
        }
        if (type instanceof GraphQLList list) {
            if (!(value instanceof List<?> items)) return invalid(out, shaping, "a list");
            GraphQLOutputType itemType = (GraphQLOutputType) list.getWrappedType();
            int start = out.position();
            out.raw((byte) '[');
            for (int i = 0, n = items.size(); i < n; i++) {
                if (i > 0) out.raw((byte) ',');
                path.push(i);
                int item = complete(out, items.get(i), itemType, selections, shaping);
                path.pop();
                if (item == PROPAGATE) return nullInstead(out, start);
            }
            out.raw((byte) ']');
            return VALUE;
        }
        if (type instanceof GraphQLScalarType scalar) {
            Object coerced = scalars.coerce(scalar, value);
            // a value its type cannot represent is a subgraph's bug: a field error per the spec's result coercion,
            // naming the (visible) type and never the value, which may be anything the subgraph holds
            if (coerced == ScalarCoercion.INVALID) return notValid(out, shaping, scalar.getName());
            out.value(coerced);
            return VALUE;
        }
        if (type instanceof GraphQLEnumType enumType) {
            if (!(value instanceof String name) || enumType.getValue(name) == null) {
                // A value the supergraph defines but hides (@inaccessible) is absent for clients, as objects of hidden
                // types are: null without an error, so that a value rolled out to subgraphs before clients may see it
                // neither fails their requests nor tells them it exists (docs/security.md). A value no subgraph schema
                // defines is a subgraph's bug: the spec's result coercion fails, a field error, without echoing the value.
                if (!definedButHidden(enumType, value)) return notValid(out, shaping, enumType.getName());
                out.nullValue();
                return NULL;
            }
            out.value(value);
            return VALUE;
        }
        if (type instanceof GraphQLFieldsContainer container) {
            if (!(value instanceof Map<?, ?> map)) return invalid(out, shaping, "an object");
            GraphQLFieldsContainer runtime = runtimeType(container, (Map<String, Object>) map);
            // An object named after the field's interface itself has no runtime type (the spec's is always an object
            // type). Shaped by the interface only where an @interfaceObject subgraph answered it and nothing asked
            // for the concrete type, so none was fetched; where something did, the plan asked the interface's owner
            // for it, and an object still named after the interface is one that owner did not resolve: null, as
            // the references answer (as for a subgraph that names an interface or a type nobody defines).
            if (runtime == null && container instanceof GraphQLInterfaceType && interfaceObjects.contains(container.getName())
                    && container.getName().equals(map.get("__typename"))
                    && !shapeOf(container, selections, shaping.conditions()).asksConcreteType()) {
                runtime = container;
            }
            if (runtime == null) { // a type the API schema hides, or no object type: as if absent
                // but an interface that no object type implements, even hidden, has no runtime type for any value:
                // the spec's completion fails, a field error (an @interfaceObject's subgraph named an object of it)
                if (container instanceof GraphQLInterfaceType face && fullSchema.getType(face.getName()) instanceof GraphQLInterfaceType full
                        && fullSchema.getImplementations(full).isEmpty()) {
                    shaping.errors().add(GraphQLErrors.error("no object type implements " + face.getName()
                            + ", so a value of it cannot be completed", shaping.path()));
                }
                out.nullValue();
                return NULL;
            }
            int start = out.position();
            return writeObject(out, (Map<String, Object>) map, runtime, selections, shaping) == PROPAGATE ? nullInstead(out, start) : VALUE;
        }
        if (type instanceof GraphQLUnionType union) {
            if (!(value instanceof Map<?, ?> map)) return invalid(out, shaping, "an object");
            GraphQLObjectType runtime = runtimeType(union, (Map<String, Object>) map);
            if (runtime == null) {
                out.nullValue();
                return NULL;
            }
            int start = out.position();
            return writeObject(out, (Map<String, Object>) map, runtime, selections, shaping) == PROPAGATE ? nullInstead(out, start) : VALUE;
        }
        out.value(value); // no other kind of type is left
        return VALUE;
    }

    private boolean definedButHidden(GraphQLEnumType apiEnum, Object value) {
        return value instanceof String name && fullSchema.getType(apiEnum.getName()) instanceof GraphQLEnumType full
                && full.getValue(name) != null;
    }

    /** Null with the spec's field error for a leaf value its type cannot represent (the value is not repeated). */
    private static int notValid(JsonOutput out, Shaping shaping, String typeName) {
        shaping.errors().add(GraphQLErrors.error("a subgraph returned a value that is not a valid " + typeName + " value", shaping.path()));
        out.nullValue();
        return NULL;
    }

    /** A value cut back to where it began and written as null: a non-null part of it was null. */
    private static int nullInstead(JsonOutput out, int start) {
        out.truncate(start);
        out.nullValue();
        return NULL;
    }

    private GraphQLObjectType runtimeType(GraphQLType declared, Map<String, Object> object) {
        if (declared instanceof GraphQLObjectType object1) return object1;
        Object typename = object.get("__typename");
        return typename instanceof String name && apiSchema.getType(name) instanceof GraphQLObjectType runtime ? runtime : null;
    }

    private static int invalid(JsonOutput out, Shaping shaping, String expected) {
        shaping.errors().add(GraphQLErrors.error("a subgraph returned a value that is not " + expected, shaping.path()));
        out.nullValue();
        return NULL;
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
}
