package dev.vestibule.router.composition;

import dev.vestibule.router.composition.MergedSchema.MergedField;
import dev.vestibule.router.composition.MergedSchema.MergedType;
import dev.vestibule.router.composition.SubgraphModel.FieldModel;
import dev.vestibule.router.composition.SubgraphModel.Key;
import dev.vestibule.router.composition.SubgraphModel.Kind;
import dev.vestibule.router.composition.SubgraphModel.TypeModel;
import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Can every field a client may query be fetched? Walks the API schema from the root fields; at each step the state is
 * a supergraph type and the subgraphs the query can be "in" there. A field is satisfiable when one of those subgraphs
 * resolves it, or can move (through resolvable @key chains whose fields it can supply) to a subgraph that does, with
 * the field's @requires obtainable on the way. What it reports mirrors Apollo's SATISFIABILITY_ERROR: the smallest
 * query that cannot be planned and, per subgraph, why not. A lighter model than Apollo's full query graph: it follows
 * keys, @provides, @requires (top-level fields), @override, @interfaceObject and abstract types.
 */
final class SatisfiabilityCheck {
    private static final int MAX_ERRORS = 10;

    private final Map<String, SubgraphModel> subgraphs = new LinkedHashMap<>();
    private final MergedSchema schema;
    private final List<CompositionError> errors;
    /** "Type.field@subgraph" of fields an unlabelled @override took away from that subgraph. */
    private final Set<String> overriddenAway = new HashSet<>();
    private final Map<String, Set<String>> closureCache = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    /** Runtime types of an abstract type, in the supergraph ("Name") or in one subgraph ("Name@subgraph"), computed once. */
    private final Map<String, Set<String>> runtimeTypesCache = new HashMap<>();

    /** A point of the walk: a type, where the query can be, and what an @provides gave each of those subgraphs. */
    private record State(String type, Set<String> subgraphs, Map<String, SelectionSet> provided, State parent, String step) {
        String key() {
            StringBuilder key = new StringBuilder(type).append('|').append(subgraphs);
            provided.forEach((s, p) -> key.append('|').append(s).append(':').append(graphql.language.AstPrinter.printAstCompact(p)));
            return key.toString();
        }
    }

    SatisfiabilityCheck(List<SubgraphModel> models, MergedSchema schema, List<CompositionError> errors) {
        models.forEach(m -> subgraphs.put(m.name, m));
        this.schema = schema;
        this.errors = errors;
        for (SubgraphModel model : models) {
            for (TypeModel type : model.types.values()) {
                for (FieldModel field : type.fields.values()) {
                    if (field.overrideFrom != null && field.overrideLabel == null && subgraphs.containsKey(field.overrideFrom)) {
                        overriddenAway.add(type.name + "." + field.name + "@" + field.overrideFrom);
                    }
                }
            }
        }
    }

    void check() {
        Set<String> seen = new HashSet<>();
        Deque<State> work = new ArrayDeque<>();
        for (String root : schema.roots) {
            Set<String> where = new TreeSet<>();
            subgraphs.values().stream().filter(s -> s.types.containsKey(root)).forEach(s -> where.add(s.name));
            work.add(new State(root, where, Map.of(), null, null));
        }
        while (!work.isEmpty() && errors.size() < MAX_ERRORS) {
            State state = work.pop();
            if (!seen.add(state.key())) continue;
            MergedType type = schema.types.get(state.type());
            if (type == null) continue;
            if (type.kind == Kind.UNION || type.kind == Kind.INTERFACE) exploreRuntimeTypes(state, type, work);
            if (type.kind == Kind.UNION) continue;
            for (MergedField field : type.fields.values()) {
                if (field.directives.contains("@inaccessible")) continue;
                visitField(state, type, field, work);
            }
        }
    }

    private void visitField(State state, MergedType type, MergedField field, Deque<State> work) {
        Set<String> reachable = new TreeSet<>();
        for (String subgraph : state.subgraphs()) reachable.addAll(closure(type.name, subgraph, state));
        Set<String> resolving = new TreeSet<>();
        Map<String, SelectionSet> provided = new java.util.TreeMap<>();
        for (String subgraph : reachable) {
            SelectionSet given = state.provided().get(subgraph);
            if (given != null && (hasLeaf(given, field.name) || subSelection(given, field.name) != null)) {
                resolving.add(subgraph);
                SelectionSet inner = subSelection(given, field.name);
                if (inner != null) provided.put(subgraph, inner);
                continue;
            }
            if (resolves(subgraph, type.name, field.name) && requiresObtainable(subgraph, type.name, field.name, reachable)) {
                resolving.add(subgraph);
            }
        }
        if (resolving.isEmpty() && type.kind == Kind.INTERFACE && everyImplementationResolves(state, type, field)) return;
        if (resolving.isEmpty() && type.kind == Kind.OBJECT) {
            for (String subgraph : state.subgraphs()) {
                String via = viaInterfaceObject(type.name, subgraph, field.name);
                if (via != null) resolving.add(via);
            }
        }
        if (resolving.isEmpty()) {
            report(state, type, field, reachable);
            return;
        }
        String named = field.type.replaceAll("[\\[\\]!]", "");
        MergedType next = schema.types.get(named);
        if (next != null && (next.kind == Kind.UNION || next.kind == Kind.INTERFACE) && resolving.size() > 1
                && !runtimeTypesIntersect(state, type, field, next, resolving)) {
            return;
        }
        if (next == null || next.kind == Kind.SCALAR || next.kind == Kind.ENUM || next.directives.contains("@inaccessible")) return;
        for (String subgraph : resolving) {
            FieldModel model = fieldIn(subgraph, type.name, field.name);
            if (model != null && model.provides != null) provided.put(subgraph, FieldSetParser.parse(model.provides));
        }
        work.push(new State(named, resolving, provided, state, field.name));
    }

    /**
     * A field several subgraphs resolve must be able to return the same objects from each: when the runtime types of
     * its abstract return type have nothing in common across those subgraphs, no answer could be shared.
     */
    private boolean runtimeTypesIntersect(State state, MergedType type, MergedField field, MergedType returned, Set<String> resolving) {
        Set<String> supergraphTypes = runtimeTypesCache.computeIfAbsent(returned.name, name -> {
            Set<String> types = new TreeSet<>();
            for (MergedType candidate : schema.types.values()) {
                if (candidate.kind == Kind.OBJECT && (returned.kind == Kind.UNION ? returned.members.contains(candidate.name)
                        : candidate.interfaces.contains(returned.name))) types.add(candidate.name);
            }
            return types;
        });
        Map<String, Set<String>> perSubgraph = new LinkedHashMap<>();
        Set<String> common = null;
        boolean allEmpty = true;
        for (String subgraph : resolving) {
            TypeModel own = subgraphs.get(subgraph).types.get(returned.name);
            if (own == null) continue;
            Set<String> runtime = new TreeSet<>();
            if (own.kind == Kind.UNION) runtime.addAll(own.members);
            else if (own.kind == Kind.INTERFACE) {
                runtime.addAll(runtimeTypesCache.computeIfAbsent(returned.name + "@" + subgraph, key -> {
                    Set<String> types = new TreeSet<>();
                    subgraphs.get(subgraph).types.values().stream().filter(t -> t.kind == Kind.OBJECT && t.interfaces.contains(returned.name))
                            .forEach(t -> types.add(t.name));
                    return types;
                }));
            } else {
                continue; // an @interfaceObject: the subgraph does not know the runtime types
            }
            perSubgraph.put(subgraph, runtime);
            allEmpty &= runtime.isEmpty();
            if (common == null) common = new TreeSet<>(supergraphTypes);
            common.retainAll(runtime);
        }
        if (allEmpty || common == null || !common.isEmpty() || perSubgraph.size() < 2) return true;
        if (!reported.add(type.name + "." + field.name)) return false;
        StringBuilder types = new StringBuilder();
        perSubgraph.forEach((subgraph, runtime) -> types.append(types.isEmpty() ? "" : ";").append("\n - in subgraph \"").append(subgraph)
                .append("\", ").append(runtime.isEmpty() ? "no runtime type is defined" : (runtime.size() > 1 ? "types " : "type ")
                        + SupergraphMerger.quoteList(List.copyOf(runtime))));
        String coordinate = type.name + "." + field.name;
        errors.add(new CompositionError("SHAREABLE_HAS_MISMATCHED_RUNTIME_TYPES", "For the following supergraph API query:\n"
                + witness(state, field.name + " {\n    ...\n  }") + "\nShared field \"" + coordinate + "\" return type \"" + field.type
                + "\" has a non-intersecting set of possible runtime types across subgraphs. Runtime types in subgraphs are:" + types
                + ".\nThis is not allowed as shared fields must resolve the same way in all subgraphs, and that implies at least some common"
                + " runtime types between the subgraphs.", List.copyOf(perSubgraph.keySet()), coordinate, 0,
                "let every subgraph that resolves " + coordinate + " return at least one common type of " + returned.name
                        + " (add it to the union or make it implement the interface there), or stop sharing the field"));
        return false;
    }

    /** The query that reaches {@code last} from the root through the state's path, laid out as Apollo prints it. */
    private static String witness(State state, String last) {
        List<String> steps = new ArrayList<>();
        for (State s = state; s != null && s.step() != null; s = s.parent()) steps.add(0, s.step());
        StringBuilder query = new StringBuilder("{\n");
        String indent = "  ";
        for (String step : steps) {
            query.append(indent).append(step).append(" {\n");
            indent += "  ";
        }
        query.append(indent).append(last.replace("\n", "\n" + indent.substring(2))).append("\n");
        for (int i = steps.size(); i > 0; i--) {
            indent = indent.substring(2);
            query.append(indent).append("}\n");
        }
        return query.append("}").toString();
    }

    /** Interfaces and unions: the query may ask for any runtime type the current subgraphs can return. */
    private void exploreRuntimeTypes(State state, MergedType type, Deque<State> work) {
        for (MergedType candidate : schema.types.values()) {
            if (candidate.kind != Kind.OBJECT || candidate.directives.contains("@inaccessible")) continue;
            boolean member = type.kind == Kind.UNION ? type.members.contains(candidate.name) : candidate.interfaces.contains(type.name);
            if (!member) continue;
            Set<String> where = new TreeSet<>();
            for (String subgraph : state.subgraphs()) {
                TypeModel abstractType = subgraphs.get(subgraph).types.get(type.name);
                TypeModel object = subgraphs.get(subgraph).types.get(candidate.name);
                if (abstractType != null && abstractType.interfaceObject) {
                    // the subgraph sees the interface as one object: the runtime type comes from those implementing it
                    subgraphs.values().stream().filter(s -> implementsIn(s, candidate.name, type.name)).forEach(s -> where.add(s.name));
                } else if (object != null && (type.kind == Kind.UNION ? abstractType != null && abstractType.members.contains(candidate.name)
                        : object.interfaces.contains(type.name))) {
                    where.add(subgraph);
                }
            }
            Map<String, SelectionSet> provided = new java.util.TreeMap<>(state.provided());
            provided.keySet().retainAll(where);
            if (!where.isEmpty()) work.push(new State(candidate.name, where, provided, state, "... on " + candidate.name));
        }
    }

    /**
     * A field an @interfaceObject adds to the interfaces of {@code type}: the subgraph serving it, if the query can move
     * there from {@code subgraph} through the interface's keys; null otherwise.
     */
    private String viaInterfaceObject(String type, String subgraph, String field) {
        MergedType merged = schema.types.get(type);
        if (merged == null) return null;
        for (String interfaceName : merged.interfaces) {
            for (String candidate : closure(interfaceName, subgraph, null)) {
                TypeModel there = subgraphs.get(candidate).types.get(interfaceName);
                if (there != null && there.interfaceObject && resolves(candidate, interfaceName, field)) return candidate;
            }
        }
        return null;
    }

    private boolean implementsIn(SubgraphModel subgraph, String object, String abstractName) {
        TypeModel type = subgraph.types.get(object);
        return type != null && type.interfaces.contains(abstractName);
    }

    /** An interface field no subgraph serves on the interface is still fine when each runtime type's subgraph has it. */
    private boolean everyImplementationResolves(State state, MergedType type, MergedField field) {
        for (String subgraph : state.subgraphs()) {
            for (TypeModel object : subgraphs.get(subgraph).types.values()) {
                if (object.kind != Kind.OBJECT || !object.interfaces.contains(type.name)) continue;
                boolean ok = closure(object.name, subgraph, null).stream().anyMatch(s -> resolves(s, object.name, field.name))
                        || viaInterfaceObject(object.name, subgraph, field.name) != null;
                if (!ok) return false;
            }
        }
        return true; // no runtime type can come from here: nothing to satisfy
    }

    /** The subgraphs a query in {@code from} at {@code type} can move to through resolvable keys, {@code from} included. */
    private Set<String> closure(String type, String from, State state) {
        SelectionSet given = state == null ? null : state.provided().get(from);
        String cacheKey = type + "@" + from + (given == null ? "" : "|" + graphql.language.AstPrinter.printAstCompact(given));
        Set<String> cached = closureCache.get(cacheKey);
        if (cached != null) return cached;
        // a key's fields may come from any subgraph already reached, so grow the set until it stops growing
        Set<String> reached = new LinkedHashSet<>(List.of(from));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (SubgraphModel target : subgraphs.values()) {
                if (reached.contains(target.name)) continue;
                TypeModel there = target.types.get(type);
                if (there == null) continue;
                for (Key key : there.keys) {
                    if (key.resolvable() && keyAvailable(reached, type, key.fields(), given)) {
                        reached.add(target.name);
                        grew = true;
                        break;
                    }
                }
            }
        }
        closureCache.put(cacheKey, reached);
        return reached;
    }

    /** Whether the reached subgraphs can produce every top-level field of a key of {@code type}. */
    private boolean keyAvailable(Set<String> reached, String type, String fields, SelectionSet given) {
        SelectionSet selections = FieldSetParser.parse(fields);
        for (Selection<?> selection : selections.getSelections()) {
            if (!(selection instanceof Field field) || field.getName().equals("__typename")) continue;
            // on an @provides path the starting subgraph also has what was provided
            boolean available = given != null && (hasLeaf(given, field.getName()) || subSelection(given, field.getName()) != null);
            for (String subgraph : reached) {
                TypeModel model = subgraphs.get(subgraph).types.get(type);
                FieldModel own = model == null ? null : model.fields.get(field.getName());
                if (own != null && (!own.external || own.inKey)) {
                    available = true;
                    break;
                }
            }
            if (!available) return false;
        }
        return true;
    }

    private boolean resolves(String subgraph, String type, String field) {
        FieldModel model = fieldIn(subgraph, type, field);
        return model != null && !model.external && !overriddenAway.contains(type + "." + field + "@" + subgraph);
    }

    private boolean requiresObtainable(String subgraph, String type, String field, Set<String> reachable) {
        FieldModel model = fieldIn(subgraph, type, field);
        if (model == null || model.requires == null) return true;
        for (Selection<?> selection : FieldSetParser.parse(model.requires).getSelections()) {
            if (!(selection instanceof Field required) || required.getName().equals("__typename")) continue;
            boolean somewhere = false;
            for (String candidate : reachable) {
                if (resolves(candidate, type, required.getName())) {
                    somewhere = true;
                    break;
                }
            }
            if (!somewhere) {
                // the required field may be reachable from another subgraph of the type through its keys
                for (SubgraphModel other : subgraphs.values()) {
                    if (resolves(other.name, type, required.getName()) && closure(type, subgraph, null).contains(other.name)) {
                        somewhere = true;
                        break;
                    }
                }
            }
            if (!somewhere) return false;
        }
        return true;
    }

    private FieldModel fieldIn(String subgraph, String type, String field) {
        TypeModel model = subgraphs.get(subgraph).types.get(type);
        return model == null ? null : model.fields.get(field);
    }

    private static boolean hasLeaf(SelectionSet provided, String field) {
        if (provided == null) return false;
        for (Selection<?> selection : provided.getSelections()) {
            if (selection instanceof Field f && f.getName().equals(field)) return true;
            if (selection instanceof InlineFragment fragment && hasLeaf(fragment.getSelectionSet(), field)) return true;
        }
        return false;
    }

    private static SelectionSet subSelection(SelectionSet provided, String field) {
        if (provided == null) return null;
        for (Selection<?> selection : provided.getSelections()) {
            if (selection instanceof Field f && f.getName().equals(field) && f.getSelectionSet() != null) return f.getSelectionSet();
            if (selection instanceof InlineFragment fragment) {
                SelectionSet inner = subSelection(fragment.getSelectionSet(), field);
                if (inner != null) return inner;
            }
        }
        return null;
    }

    private void report(State state, MergedType type, MergedField field, Set<String> reachable) {
        if (!reported.add(type.name + "." + field.name)) return;
        List<String> steps = new ArrayList<>();
        for (State s = state; s != null && s.step() != null; s = s.parent()) steps.add(0, s.step());
        steps.add(field.name);
        StringBuilder query = new StringBuilder(rootOperation(state)).append(" {\n");
        String indent = "  ";
        for (int i = 0; i < steps.size(); i++) {
            query.append(indent).append(steps.get(i));
            query.append(i < steps.size() - 1 ? " {\n" : "\n");
            indent += "  ";
        }
        for (int i = steps.size() - 1; i > 0; i--) {
            indent = indent.substring(2);
            query.append(indent.substring(2)).append("}\n");
        }
        query.append("}");
        StringBuilder why = new StringBuilder();
        for (String subgraph : state.subgraphs()) {
            why.append("\n- from subgraph \"").append(subgraph).append("\":");
            FieldModel own = fieldIn(subgraph, type.name, field.name);
            if (own == null) why.append("\n  - cannot find field \"").append(type.name).append(".").append(field.name).append("\".");
            else if (own.external) why.append("\n  - field \"").append(type.name).append(".").append(field.name).append("\" is not resolvable because marked @external.");
            else if (overriddenAway.contains(type.name + "." + field.name + "@" + subgraph)) why.append("\n  - field \"").append(type.name).append(".").append(field.name).append("\" was moved away by @override.");
            else why.append("\n  - its @requires cannot be satisfied.");
            for (SubgraphModel other : subgraphs.values()) {
                if (other.name.equals(subgraph) || !resolves(other.name, type.name, field.name)) continue;
                TypeModel there = other.types.get(type.name);
                if (reachable.contains(other.name)) {
                    why.append("\n  - subgraph \"").append(other.name).append("\" is reachable but cannot supply what \"")
                            .append(field.name).append("\" @requires.");
                } else if (there.keys.stream().noneMatch(Key::resolvable)) {
                    why.append("\n  - cannot move to subgraph \"").append(other.name).append("\", which has no resolvable @key for \"")
                            .append(type.name).append("\".");
                } else {
                    Key key = there.keys.stream().filter(Key::resolvable).findFirst().orElseThrow();
                    why.append("\n  - cannot move to subgraph \"").append(other.name).append("\" using @key(fields: \"").append(key.fields())
                            .append("\") of \"").append(type.name).append("\", the key field(s) cannot be resolved from subgraph \"")
                            .append(subgraph).append("\".");
                }
            }
        }
        errors.add(new CompositionError("SATISFIABILITY_ERROR", "The following supergraph API query:\n" + query
                + "\ncannot be satisfied by the subgraphs because:" + why, List.copyOf(state.subgraphs()),
                type.name + "." + field.name, 0,
                "give " + type.name + " a resolvable @key in the subgraph that serves " + field.name
                        + " whose fields the other subgraphs can supply, or serve the field where the query already is"));
    }

    private static String rootOperation(State state) {
        State s = state;
        while (s.parent() != null) s = s.parent();
        return switch (s.type()) {
            case "Mutation" -> "mutation";
            case "Subscription" -> "subscription";
            default -> "query";
        };
    }
}
