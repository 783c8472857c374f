package dev.vestibule.router.composition;

import dev.vestibule.router.composition.MergedSchema.MergedType;
import dev.vestibule.router.composition.SubgraphModel.ArgumentModel;
import dev.vestibule.router.composition.SubgraphModel.FieldModel;
import dev.vestibule.router.composition.SubgraphModel.Key;
import dev.vestibule.router.composition.SubgraphModel.Kind;
import dev.vestibule.router.composition.SubgraphModel.TypeModel;
import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Type;
import graphql.language.TypeName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Apollo's federated query graph (`@apollo/query-graphs`' {@code buildFederatedQueryGraph}), built lazily from the
 * subgraph models: a vertex is a type in one subgraph (a copy of it below a {@code @provides}, with the provided
 * selection); edges are the subgraph's fields (with their {@code @requires} conditions, {@code @fromContext} contexts
 * and progressive-override labels), downcasts from abstract types to their implementations, {@code @key} jumps into
 * every subgraph with a resolvable key of the type (from the implementations too when the key is on an
 * {@code @interfaceObject}), jumps between the subgraphs' root types, and an {@code @interfaceObject}'s "fake
 * downcasts" to each implementation (condition: {@code __typename}, which the subgraph itself cannot give).
 */
final class QueryGraph {
    enum EdgeKind { ENTER, FIELD, DOWNCAST, KEY, ROOT, INTERFACE_OBJECT_DOWNCAST }

    /** A @provides selection below which a vertex is a copy; identity matters (one copy per provided selection). */
    static final class Provided {
        final SelectionSet selection;
        final int id;

        Provided(SelectionSet selection, int id) {
            this.selection = selection;
            this.id = id;
        }
    }

    record Vertex(String subgraph, String type, Provided provided) {
        @Override
        public String toString() {
            return type + "(" + subgraph + ")" + (provided == null ? "" : "-" + provided.id);
        }
    }

    /** A @fromContext argument of a field: its context and selection, and the types of the subgraph setting that context. */
    record ContextCondition(String argument, String context, String selection, Set<String> typesSettingIt, String subgraph) {}

    record Edge(EdgeKind kind, Vertex head, Vertex tail, String name, SelectionSet conditions, String overrideLabel,
                boolean overrideValue, List<ContextCondition> contexts) {
        boolean collects() {
            return kind == EdgeKind.FIELD || kind == EdgeKind.DOWNCAST || kind == EdgeKind.INTERFACE_OBJECT_DOWNCAST;
        }

        boolean changesSubgraph() {
            return !head.subgraph().equals(tail.subgraph());
        }
    }

    /** A resolvable key into {@code subgraph}'s {@code type}, reachable from vertices of {@code from}. */
    private record KeyTarget(String subgraph, String type, SelectionSet conditions) {}

    final Map<String, SubgraphModel> subgraphs = new LinkedHashMap<>();
    final MergedSchema schema;
    private final Map<Vertex, List<Edge>> outEdges = new HashMap<>();
    private final Map<String, List<KeyTarget>> keyTargets = new HashMap<>();
    /** "Type.field@subgraph" of fields an unlabelled @override took away from that subgraph. */
    final Set<String> overriddenAway = new HashSet<>();
    /** "Type.field" to its progressive @override label, and the subgraphs on each side. */
    final Map<String, String> overrideLabels = new HashMap<>();
    private final Map<String, String> labelledTo = new HashMap<>();
    private final Map<String, String> labelledFrom = new HashMap<>();
    private final IdentityHashMap<SelectionSet, Provided> provided = new IdentityHashMap<>();
    private final Map<String, Set<String>> apiRuntimeTypes = new HashMap<>();
    private final Map<String, Set<String>> subgraphRuntimeTypes = new HashMap<>();
    private final Map<String, Set<String>> contextTypes = new HashMap<>();

    QueryGraph(List<SubgraphModel> models, MergedSchema schema) {
        models.forEach(m -> subgraphs.put(m.name, m));
        this.schema = schema;
        for (SubgraphModel model : models) {
            for (TypeModel type : model.types.values()) {
                for (FieldModel field : type.fields.values()) {
                    if (field.overrideFrom == null || !subgraphs.containsKey(field.overrideFrom) || field.overrideFrom.equals(model.name)) continue;
                    String coordinate = type.name + "." + field.name;
                    if (field.overrideLabel == null) {
                        overriddenAway.add(coordinate + "@" + field.overrideFrom);
                    } else {
                        overrideLabels.put(coordinate, field.overrideLabel);
                        labelledTo.put(coordinate, model.name);
                        labelledFrom.put(coordinate, field.overrideFrom);
                    }
                }
                if (type.keys.isEmpty()) continue;
                for (Key key : type.keys) {
                    if (!key.resolvable()) continue;
                    SelectionSet conditions = FieldSetParser.parse(key.fields());
                    keyTargets.computeIfAbsent(type.name, k -> new ArrayList<>()).add(new KeyTarget(model.name, type.name, conditions));
                    if (type.interfaceObject) {
                        MergedType itf = schema.types.get(type.name);
                        if (itf == null) continue;
                        for (String implementation : supergraphRuntimeTypes(itf, false)) {
                            keyTargets.computeIfAbsent(implementation, k -> new ArrayList<>()).add(new KeyTarget(model.name, type.name, conditions));
                        }
                    }
                }
            }
        }
    }

    Vertex vertex(String subgraph, String type, Provided provided) {
        SubgraphModel model = subgraphs.get(subgraph);
        return model != null && model.types.containsKey(type) ? new Vertex(subgraph, type, provided) : null;
    }

    TypeModel typeOf(Vertex vertex) {
        return subgraphs.get(vertex.subgraph()).types.get(vertex.type());
    }

    boolean isInterfaceObject(Vertex vertex) {
        TypeModel type = typeOf(vertex);
        return type != null && type.interfaceObject;
    }

    FieldModel field(String subgraph, String type, String field) {
        TypeModel model = subgraphs.get(subgraph).types.get(type);
        return model == null ? null : model.fields.get(field);
    }

    boolean isOverriddenAway(String subgraph, String type, String field) {
        return overriddenAway.contains(type + "." + field + "@" + subgraph);
    }

    /** The object types of a supergraph type (itself for an object), without the @inaccessible ones when {@code api}. */
    Set<String> supergraphRuntimeTypes(MergedType type, boolean api) {
        return apiRuntimeTypes.computeIfAbsent(type.name + (api ? "#api" : ""), key -> {
            Set<String> types = new LinkedHashSet<>();
            if (type.kind == Kind.OBJECT) {
                types.add(type.name);
                return types;
            }
            for (MergedType candidate : schema.types.values()) {
                if (candidate.kind != Kind.OBJECT || api && candidate.directives.contains("@inaccessible")) continue;
                if (type.kind == Kind.UNION ? type.members.contains(candidate.name) : candidate.interfaces.contains(type.name)) types.add(candidate.name);
            }
            return types;
        });
    }

    /** What a vertex's objects can be in its subgraph: itself, the implementations of an interface, a union's members. */
    Set<String> runtimeTypes(Vertex vertex) {
        return subgraphRuntimeTypes.computeIfAbsent(vertex.type() + "@" + vertex.subgraph(), key -> {
            SubgraphModel model = subgraphs.get(vertex.subgraph());
            TypeModel type = model.types.get(vertex.type());
            Set<String> types = new LinkedHashSet<>();
            if (type == null) return types;
            switch (type.kind) {
                case OBJECT -> types.add(type.name);
                case UNION -> type.members.stream().filter(model.types::containsKey).forEach(types::add);
                case INTERFACE -> model.types.values().stream().filter(t -> t.kind == Kind.OBJECT && t.interfaces.contains(type.name))
                        .forEach(t -> types.add(t.name));
                default -> { }
            }
            return types;
        });
    }

    /** Types whose fields see a context set in the supergraph (the type setting it, its implementations, its members). */
    Map<String, Set<String>> contextsByType() {
        if (!contextTypes.isEmpty() || subgraphs.isEmpty()) return contextTypes;
        for (SubgraphModel model : subgraphs.values()) {
            for (TypeModel type : model.types.values()) {
                for (String context : type.contexts) {
                    String name = model.name + "__" + context;
                    contextTypes.computeIfAbsent(type.name, k -> new LinkedHashSet<>()).add(name);
                    MergedType merged = schema.types.get(type.name);
                    if (merged == null || merged.kind == Kind.OBJECT) continue;
                    for (String runtime : supergraphRuntimeTypes(merged, false)) contextTypes.computeIfAbsent(runtime, k -> new LinkedHashSet<>()).add(name);
                    if (merged.kind == Kind.INTERFACE) {
                        // interfaces implementing it see it too (Apollo's allImplementations)
                        for (MergedType candidate : schema.types.values()) {
                            if (candidate.kind == Kind.INTERFACE && candidate.interfaces.contains(merged.name)) {
                                contextTypes.computeIfAbsent(candidate.name, k -> new LinkedHashSet<>()).add(name);
                            }
                        }
                    }
                }
            }
        }
        if (contextTypes.isEmpty()) contextTypes.put("", Set.of()); // computed once even when empty
        return contextTypes;
    }

    /** A vertex's edges: all of them, the collecting ones by field or type name, the non-collecting ones (keys, root jumps). */
    record VertexEdges(List<Edge> all, Map<String, List<Edge>> byName, List<Edge> nonCollecting) {}

    private final Map<Vertex, VertexEdges> indexed = new HashMap<>();

    VertexEdges edges(Vertex vertex) {
        VertexEdges cached = indexed.get(vertex);
        if (cached != null) return cached;
        List<Edge> all = outEdges(vertex);
        Map<String, List<Edge>> byName = new HashMap<>();
        List<Edge> nonCollecting = new ArrayList<>();
        for (Edge edge : all) {
            if (edge.collects()) byName.computeIfAbsent(edge.name(), k -> new ArrayList<>(1)).add(edge);
            else nonCollecting.add(edge);
        }
        VertexEdges result = new VertexEdges(all, byName, List.copyOf(nonCollecting));
        indexed.put(vertex, result);
        return result;
    }

    List<Edge> named(Vertex vertex, String name) {
        return edges(vertex).byName().getOrDefault(name, List.of());
    }

    List<Edge> outEdges(Vertex vertex) {
        List<Edge> cached = outEdges.get(vertex);
        if (cached != null) return cached;
        List<Edge> edges = new ArrayList<>();
        SubgraphModel model = subgraphs.get(vertex.subgraph());
        TypeModel type = model.types.get(vertex.type());
        SelectionSet given = vertex.provided() == null ? null : vertex.provided().selection;
        if (type != null) {
            switch (type.kind) {
                case OBJECT -> {
                    for (FieldModel field : type.fields.values()) addFieldEdge(edges, vertex, model, type, field, given, true);
                    if (type.interfaceObject) {
                        MergedType itf = schema.types.get(type.name);
                        if (itf != null && itf.kind == Kind.INTERFACE) {
                            for (String implementation : supergraphRuntimeTypes(itf, false)) {
                                edges.add(new Edge(EdgeKind.INTERFACE_OBJECT_DOWNCAST, vertex, vertex, implementation, TYPENAME, null, false, List.of()));
                            }
                        }
                    }
                }
                case INTERFACE -> {
                    MergedType api = schema.types.get(type.name);
                    if (api != null && !api.directives.contains("@inaccessible")) {
                        List<TypeModel> local = supergraphRuntimeTypes(api, true).stream().map(model.types::get).filter(t -> t != null).toList();
                        for (FieldModel field : type.fields.values()) {
                            boolean everywhere = local.stream().allMatch(t -> t.fields.containsKey(field.name) && !t.fields.get(field.name).external
                                    && t.fields.get(field.name).requires == null);
                            addFieldEdge(edges, vertex, model, type, field, given, everywhere);
                        }
                    }
                    for (String implementation : runtimeTypes(vertex)) addDowncast(edges, vertex, implementation, given);
                }
                case UNION -> {
                    for (String member : runtimeTypes(vertex)) addDowncast(edges, vertex, member, given);
                }
                default -> { }
            }
            for (KeyTarget target : keyTargets.getOrDefault(vertex.type(), List.of())) {
                if (target.subgraph().equals(vertex.subgraph())) continue; // a key to itself serves only @defer
                Vertex tail = vertex(target.subgraph(), target.type(), null);
                if (tail == null || !target.type().equals(vertex.type()) && !hasTopLevelFields(type, target.conditions())) continue;
                edges.add(new Edge(EdgeKind.KEY, vertex, tail, null, target.conditions(), null, false, List.of()));
            }
            if (vertex.provided() == null && schema.roots.contains(vertex.type())) {
                for (SubgraphModel other : subgraphs.values()) {
                    if (other != model && other.types.containsKey(vertex.type())) {
                        edges.add(new Edge(EdgeKind.ROOT, vertex, new Vertex(other.name, vertex.type(), null), null, null, null, false, List.of()));
                    }
                }
            }
        }
        List<Edge> result = List.copyOf(edges);
        outEdges.put(vertex, result);
        return result;
    }

    static final SelectionSet TYPENAME = FieldSetParser.parse("__typename");

    private static boolean hasTopLevelFields(TypeModel type, SelectionSet conditions) {
        for (Selection<?> selection : conditions.getSelections()) {
            if (selection instanceof Field f && !f.getName().equals("__typename") && !type.fields.containsKey(f.getName())) return false;
        }
        return true;
    }

    private void addFieldEdge(List<Edge> edges, Vertex head, SubgraphModel model, TypeModel type, FieldModel field, SelectionSet given, boolean ownEdge) {
        Selection<?> providedSelection = given == null ? null : providedField(given, field.name);
        boolean resolvable = ownEdge && !field.external && !isOverriddenAway(model.name, type.name, field.name);
        if (!resolvable && providedSelection == null) return;
        String named = namedType(field.type);
        Provided below = null;
        if (providedSelection instanceof Field f && f.getSelectionSet() != null && !f.getSelectionSet().getSelections().isEmpty()) {
            below = provided(f.getSelectionSet());
        } else if (resolvable && field.provides != null) {
            // the field's own @provides: its edge leads to a copy of the type with the provided fields
            below = provided(FieldSetParser.parse(field.provides));
        }
        Vertex tail = new Vertex(model.name, named, below);
        if (!resolvable) {
            // an edge only the @provides gives: no @requires, no label
            edges.add(new Edge(EdgeKind.FIELD, head, tail, field.name, null, null, false, List.of()));
            return;
        }
        SelectionSet requires = field.requires == null ? null : FieldSetParser.parse(field.requires);
        List<ContextCondition> contexts = contextConditions(model, field);
        String coordinate = type.name + "." + field.name;
        String label = overrideLabels.get(coordinate);
        if (label != null && model.name.equals(labelledTo.get(coordinate))) {
            edges.add(new Edge(EdgeKind.FIELD, head, tail, field.name, requires, label, true, contexts));
        } else if (label != null && model.name.equals(labelledFrom.get(coordinate))) {
            edges.add(new Edge(EdgeKind.FIELD, head, tail, field.name, requires, label, false, contexts));
        } else {
            edges.add(new Edge(EdgeKind.FIELD, head, tail, field.name, requires, null, false, contexts));
        }
    }

    private void addDowncast(List<Edge> edges, Vertex head, String implementation, SelectionSet given) {
        Provided below = null;
        if (given != null) {
            for (Selection<?> selection : given.getSelections()) {
                if (selection instanceof InlineFragment fragment && fragment.getTypeCondition() != null
                        && fragment.getTypeCondition().getName().equals(implementation)) {
                    below = provided(fragment.getSelectionSet());
                }
            }
        }
        edges.add(new Edge(EdgeKind.DOWNCAST, head, new Vertex(head.subgraph(), implementation, below), implementation, null, null, false, List.of()));
    }

    private Provided provided(SelectionSet selection) {
        return provided.computeIfAbsent(selection, s -> new Provided(s, provided.size() + 1));
    }

    /** The selection of {@code field} in a provided selection (also inside fragments without a type condition), or null. */
    private static Selection<?> providedField(SelectionSet given, String field) {
        for (Selection<?> selection : given.getSelections()) {
            if (selection instanceof Field f && f.getName().equals(field)) return f;
            if (selection instanceof InlineFragment fragment && fragment.getTypeCondition() == null) {
                Selection<?> inner = providedField(fragment.getSelectionSet(), field);
                if (inner != null) return inner;
            }
        }
        return null;
    }

    private static List<ContextCondition> contextConditions(SubgraphModel model, FieldModel field) {
        List<ContextCondition> conditions = null;
        for (ArgumentModel argument : field.arguments.values()) {
            if (argument.fromContext() == null) continue;
            SubgraphReader.ContextReference reference = SubgraphReader.parseContextReference(argument.fromContext());
            if (reference == null) continue; // NO_CONTEXT_IN_SELECTION, reported with the subgraph
            Set<String> setting = new HashSet<>();
            for (TypeModel candidate : model.types.values()) {
                if (candidate.contexts.contains(reference.context())) setting.add(candidate.name);
            }
            if (conditions == null) conditions = new ArrayList<>();
            conditions.add(new ContextCondition(argument.name(), reference.context(), reference.selection(), setting, model.name));
        }
        return conditions == null ? List.of() : conditions;
    }

    static String namedType(Type<?> type) {
        while (!(type instanceof TypeName)) {
            if (type instanceof NonNullType nonNull) type = nonNull.getType();
            else if (type instanceof ListType list) type = list.getType();
            else return null;
        }
        return ((TypeName) type).getName();
    }

    /** A selection as Apollo prints a condition in messages: "id", "id sku", "id organization { id }". */
    static String print(SelectionSet selections) {
        StringBuilder text = new StringBuilder();
        for (Selection<?> selection : selections.getSelections()) {
            if (!text.isEmpty()) text.append(' ');
            if (selection instanceof Field f) {
                text.append(f.getName());
                if (f.getSelectionSet() != null && !f.getSelectionSet().getSelections().isEmpty()) {
                    text.append(" { ").append(print(f.getSelectionSet())).append(" }");
                }
            } else if (selection instanceof InlineFragment fragment) {
                text.append("...");
                if (fragment.getTypeCondition() != null) text.append(" on ").append(fragment.getTypeCondition().getName());
                text.append(" { ").append(print(fragment.getSelectionSet())).append(" }");
            }
        }
        return text.toString();
    }
}
