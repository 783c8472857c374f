package dev.vestibule.router.composition;

import dev.vestibule.router.composition.MergedSchema.MergedField;
import dev.vestibule.router.composition.MergedSchema.MergedType;
import dev.vestibule.router.composition.SubgraphModel.FieldModel;
import dev.vestibule.router.composition.SubgraphModel.Key;
import dev.vestibule.router.composition.SubgraphModel.Kind;
import dev.vestibule.router.composition.SubgraphModel.TypeModel;
import graphql.language.AstPrinter;
import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.parser.Parser;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
    /** Where errors go: the composition's list, or one subgraph's share of a shared top-level mutation field. */
    private List<CompositionError> errors;
    /** "Type.field@subgraph" of fields an unlabelled @override took away from that subgraph. */
    private final Set<String> overriddenAway = new HashSet<>();
    private final Map<String, Set<String>> closureCache = new HashMap<>();
    private Set<String> reported = new HashSet<>();
    /** Runtime types of an abstract type, in the supergraph ("Name") or in one subgraph ("Name@subgraph"), computed once. */
    private final Map<String, Set<String>> runtimeTypesCache = new HashMap<>();

    /** A point of the walk: a type, where the query can be, and what an @provides gave each of those subgraphs. */
    private record State(String type, Set<String> subgraphs, Map<String, SelectionSet> provided, State parent, String step) {
        String key() {
            StringBuilder key = new StringBuilder(type).append('|').append(subgraphs);
            provided.forEach((s, p) -> key.append('|').append(s).append(':').append(AstPrinter.printAstCompact(p)));
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
        walk(work, seen);
        if (errors.size() < MAX_ERRORS && usesContexts()) checkContexts();
    }

    private void walk(Deque<State> work, Set<String> seen) {
        while (!work.isEmpty() && errors.size() < MAX_ERRORS) {
            State state = work.pop();
            if (!seen.add(state.key())) continue;
            MergedType type = schema.types.get(state.type());
            if (type == null) continue;
            if (type.kind == Kind.UNION || type.kind == Kind.INTERFACE) exploreRuntimeTypes(state, type, work);
            if (type.kind == Kind.UNION) continue;
            for (MergedField field : type.fields.values()) {
                if (field.directives.contains("@inaccessible")) continue;
                if (state.parent() == null && type.name.equals("Mutation") && checkSharedMutation(type, field)) continue;
                visitField(state, type, field, work, null);
            }
        }
    }

    /**
     * A top-level mutation field several subgraphs resolve runs in one of them, chosen once for the whole operation:
     * as Apollo does, everything below it is checked once per such subgraph, as if the query were there alone, and the
     * field is unsatisfiable only when every one of them fails somewhere (a query that needs one subgraph's mutation
     * for one sub-field and another's for the next cannot be planned). False when the field is not shared.
     */
    private boolean checkSharedMutation(MergedType mutation, MergedField field) {
        List<String> callers = subgraphs.values().stream().filter(s -> resolves(s.name, mutation.name, field.name)).map(s -> s.name).toList();
        if (callers.size() < 2) return false;
        List<CompositionError> all = errors;
        Set<String> allReported = reported;
        Map<String, List<CompositionError>> bySubgraph = new LinkedHashMap<>();
        try {
            for (String caller : callers) {
                errors = new ArrayList<>();
                reported = new HashSet<>();
                Deque<State> work = new ArrayDeque<>();
                visitField(new State(mutation.name, new TreeSet<>(Set.of(caller)), Map.of(), null, null), mutation, field, work, caller);
                walk(work, new HashSet<>());
                bySubgraph.put(caller, errors);
            }
        } finally {
            errors = all;
            reported = allReported;
        }
        if (bySubgraph.values().stream().anyMatch(List::isEmpty)) return true;
        String coordinate = mutation.name + "." + field.name;
        StringBuilder message = new StringBuilder("Supergraph API queries using the mutation field \"" + coordinate + "\" at top-level must be"
                + " satisfiable without needing to call that field from multiple subgraphs, but every subgraph with that field encounters"
                + " satisfiability errors. Please fix these satisfiability errors for (at least) one of the following subgraphs with the"
                + " mutation field:");
        bySubgraph.forEach((subgraph, failures) -> {
            message.append("\n- When calling \"").append(coordinate).append("\" at top-level from subgraph \"").append(subgraph).append("\":");
            for (CompositionError failure : failures) {
                for (String line : failure.message().split("\n", -1)) message.append('\n').append(line.isEmpty() ? "" : "  " + line);
            }
        });
        errors.add(new CompositionError("SATISFIABILITY_ERROR", message.toString(), List.copyOf(callers), coordinate, 0,
                "make the operations under " + coordinate + " satisfiable from one of " + String.join(", ", callers)
                        + " alone (each runs the whole mutation), or let one subgraph own the mutation field"));
        return true;
    }

    private boolean usesContexts() {
        return subgraphs.values().stream().anyMatch(s -> s.types.values().stream().anyMatch(t -> !t.contexts.isEmpty()));
    }

    /** {@code onlyIn}: the one subgraph a shared top-level mutation field is checked in, or null. */
    private void visitField(State state, MergedType type, MergedField field, Deque<State> work, String onlyIn) {
        Set<String> reachable = new TreeSet<>();
        if (schema.roots.contains(type.name) && !state.subgraphs().isEmpty()) {
            // every subgraph's root is reachable from any of them: one closure is the union of all
            reachable.addAll(closure(type.name, state.subgraphs().iterator().next(), state));
        } else {
            for (String subgraph : state.subgraphs()) reachable.addAll(closure(type.name, subgraph, state));
        }
        Set<String> resolving = new TreeSet<>();
        Map<String, String> unsatisfied = new TreeMap<>();
        Map<String, SelectionSet> provided = new TreeMap<>();
        for (String subgraph : reachable) {
            SelectionSet given = state.provided().get(subgraph);
            if (given != null && (hasLeaf(given, field.name) || subSelection(given, field.name) != null)) {
                resolving.add(subgraph);
                SelectionSet inner = subSelection(given, field.name);
                if (inner != null) provided.put(subgraph, inner);
                continue;
            }
            if (!resolves(subgraph, type.name, field.name)) continue;
            String unmet = unmetConditions(state, type.name, field.name, subgraph);
            if (unmet != null) unsatisfied.put(subgraph, unmet);
            else resolving.add(subgraph);
        }
        if (onlyIn != null) resolving.retainAll(Set.of(onlyIn));
        if (resolving.isEmpty() && type.kind == Kind.INTERFACE && everyImplementationResolves(state, type, field)) return;
        if (resolving.isEmpty() && type.kind == Kind.OBJECT) {
            for (String subgraph : state.subgraphs()) {
                String via = viaInterfaceObject(type.name, subgraph, field.name);
                if (via != null) resolving.add(via);
            }
        }
        if (resolving.isEmpty()) {
            report(state, type, field, reachable, unsatisfied);
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
                // the API schema's runtime types: an @inaccessible one is not in it
                if (candidate.kind == Kind.OBJECT && !candidate.directives.contains("@inaccessible")
                        && (returned.kind == Kind.UNION ? returned.members.contains(candidate.name)
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

    /**
     * Why {@code subgraph} cannot take the field where the query is (null when it can), in Apollo's order: the
     * selection of each context a @fromContext argument reads must be obtainable from where the query was at the
     * nearest type setting it; a field with contextual arguments needs a key of its type whose fields are all local
     * to the subgraph ("post-context key"); the @requires must be obtainable; and when the query came to this type in
     * {@code subgraph} through a field (not through one of its keys), fetching the requirement means resuming there
     * with a key, so the subgraph needs a locally satisfiable key ("post-require key").
     */
    private String unmetConditions(State state, String type, String field, String subgraph) {
        FieldModel model = fieldIn(subgraph, type, field);
        String coordinate = type + "." + field;
        boolean contextual = false;
        for (SubgraphModel.ArgumentModel argument : model.arguments.values()) {
            if (argument.fromContext() == null) continue;
            contextual = true;
            SubgraphReader.ContextReference reference = SubgraphReader.parseContextReference(argument.fromContext());
            if (reference == null) continue; // NO_CONTEXT_IN_SELECTION, reported with the subgraph
            State setting = nearestContextAncestor(state, subgraph, reference.context());
            if (setting == null) return "could not find a match for required context for field \"" + coordinate + "\".";
            if (!contextSelectionObtainable(setting, reference.selection())) return "cannot satisfy @require conditions on field \"" + coordinate + "\".";
        }
        if (contextual && !hasLocallySatisfiableKey(subgraph, type)) return missingResumeKey(coordinate, type, subgraph);
        if (model.requires == null) return null;
        if (!requiresObtainable(subgraph, type, field, state.provided().get(subgraph))) {
            return "cannot satisfy @require conditions on field \"" + coordinate + "\"" + externalKeyFieldNote(subgraph, type) + ".";
        }
        if (state.parent() != null && !arrivesByKey(state, type, subgraph) && !hasLocallySatisfiableKey(subgraph, type)) {
            return missingResumeKey(coordinate, type, subgraph);
        }
        return null;
    }

    private static String missingResumeKey(String coordinate, String type, String subgraph) {
        return "@require condition on field \"" + coordinate + "\" can be satisfied but missing usable key on \"" + type + "\" in subgraph \""
                + subgraph + "\" to resume query.";
    }

    /** Apollo's "locally satisfiable key": a @key (resolvable or not) of the type in the subgraph selecting no @external field. */
    private boolean hasLocallySatisfiableKey(String subgraph, String type) {
        TypeModel model = subgraphs.get(subgraph).types.get(type);
        if (model == null) return false;
        for (Key key : model.keys) {
            if (!selectsExternal(subgraphs.get(subgraph), model, FieldSetParser.parse(key.fields()), 0)) return true;
        }
        return false;
    }

    private boolean selectsExternal(SubgraphModel subgraph, TypeModel type, SelectionSet set, int depth) {
        if (type == null || depth > MAX_REQUIRES_DEPTH) return false;
        for (Selection<?> selection : set.getSelections()) {
            if (selection instanceof InlineFragment fragment) {
                TypeModel on = fragment.getTypeCondition() == null ? type : subgraph.types.get(fragment.getTypeCondition().getName());
                if (selectsExternal(subgraph, on, fragment.getSelectionSet(), depth + 1)) return true;
            } else if (selection instanceof Field selected) {
                FieldModel own = type.fields.get(selected.getName());
                if (own == null) continue;
                if (own.external) return true;
                if (selected.getSelectionSet() != null
                        && selectsExternal(subgraph, subgraph.types.get(namedType(own)), selected.getSelectionSet(), depth + 1)) return true;
            }
        }
        return false;
    }

    /** Whether some other subgraph the query can be in at {@code type} can jump into {@code subgraph} through one of its resolvable keys. */
    private boolean arrivesByKey(State state, String type, String subgraph) {
        TypeModel there = subgraphs.get(subgraph).types.get(type);
        if (there == null || there.keys.stream().noneMatch(Key::resolvable)) return false;
        Set<String> others = new LinkedHashSet<>();
        for (String from : state.subgraphs()) others.addAll(closure(type, from, state));
        others.remove(subgraph);
        if (others.isEmpty()) return false;
        for (Key key : there.keys) {
            if (key.resolvable() && keyAvailable(others, type, key.fields(), null)) return true;
        }
        return false;
    }

    /**
     * The nearest state above {@code state} whose type a field was selected on and that sees the context (the type
     * setting it in {@code subgraph}, an implementation of it, a member of it), as Apollo walks the path back; null
     * when there is none.
     */
    private State nearestContextAncestor(State state, String subgraph, String context) {
        Set<String> seeing = inContextCache.computeIfAbsent(subgraph + "|" + context, key -> typesSeeingContext(subgraph, context));
        for (State child = state, above = state.parent(); above != null; child = above, above = above.parent()) {
            if (child.step() == null || child.step().startsWith("...")) continue; // a type condition, not a field
            if (seeing.contains(above.type())) return above;
        }
        return null;
    }

    /** Whether a context's selection can be fetched from where the query was at the type setting it (any of its subgraphs there). */
    private boolean contextSelectionObtainable(State setting, String selectionText) {
        SelectionSet selection;
        try {
            String trimmed = selectionText.strip();
            selection = trimmed.startsWith("{") ? ((OperationDefinition) Parser.parse(trimmed).getDefinitions().get(0)).getSelectionSet()
                    : FieldSetParser.parse(trimmed);
        } catch (RuntimeException e) {
            return true; // CONTEXT_INVALID_SELECTION, reported with the subgraph
        }
        MergedType at = schema.types.get(setting.type());
        List<Selection> kept = new ArrayList<>();
        for (Selection<?> s : selection.getSelections()) {
            // fragments on object types this type cannot be are dropped, as Apollo does
            if (s instanceof InlineFragment fragment && fragment.getTypeCondition() != null && at != null) {
                MergedType condition = schema.types.get(fragment.getTypeCondition().getName());
                if (condition != null && condition.kind == Kind.OBJECT && !condition.name.equals(at.name)
                        && (at.kind == Kind.OBJECT || !runtimeTypes(at).contains(condition.name))) continue;
            }
            kept.add(s);
        }
        SelectionSet filtered = SelectionSet.newSelectionSet(kept).build();
        for (String from : setting.subgraphs()) {
            if (selectionObtainable(setting.type(), filtered, from, 0)) return true;
        }
        return false;
    }

    /** Interfaces and unions: the query may ask for any runtime type the current subgraphs can return. */
    private void exploreRuntimeTypes(State state, MergedType type, Deque<State> work) {
        for (MergedType candidate : schema.types.values()) {
            if (candidate.kind != Kind.OBJECT || candidate.directives.contains("@inaccessible")) continue;
            boolean member = type.kind == Kind.UNION ? type.members.contains(candidate.name) : candidate.interfaces.contains(type.name);
            if (!member) continue;
            Set<String> where = new TreeSet<>();
            List<String> unresolved = new ArrayList<>();
            for (String subgraph : state.subgraphs()) {
                TypeModel abstractType = subgraphs.get(subgraph).types.get(type.name);
                TypeModel object = subgraphs.get(subgraph).types.get(candidate.name);
                if (abstractType != null && abstractType.interfaceObject) {
                    // the subgraph sees the interface as one object: the runtime type is resolved by moving, through a
                    // key of the interface, to a subgraph that has it as an interface, then to those implementing it
                    boolean resolvable = closure(type.name, subgraph, state).stream()
                            .anyMatch(s -> subgraphs.get(s).types.get(type.name) != null && subgraphs.get(s).types.get(type.name).kind == Kind.INTERFACE);
                    if (resolvable) subgraphs.values().stream().filter(s -> implementsIn(s, candidate.name, type.name)).forEach(s -> where.add(s.name));
                    else unresolved.add(subgraph);
                } else if (object != null && (type.kind == Kind.UNION ? abstractType != null && abstractType.members.contains(candidate.name)
                        : object.interfaces.contains(type.name))) {
                    where.add(subgraph);
                }
            }
            if (where.isEmpty() && !unresolved.isEmpty() && errors.size() < MAX_ERRORS && reported.add(type.name + "#" + candidate.name)) {
                StringBuilder why = new StringBuilder();
                unresolved.forEach(s -> why.append("\n- from subgraph \"").append(s).append("\": no subgraph can be reached to resolve the implementation type of")
                        .append(" @interfaceObject type \"").append(type.name).append("\"."));
                errors.add(new CompositionError("SATISFIABILITY_ERROR", "The following supergraph API query:\n" + witness(state, "... on "
                        + candidate.name + " {\n    ...\n  }") + "\ncannot be satisfied by the subgraphs because:" + why, List.copyOf(unresolved),
                        type.name, 0, "give interface " + type.name + " a resolvable @key in a subgraph that defines it as an interface with its"
                                + " implementations (" + candidate.name + " among them): @interfaceObject subgraphs find an object's real type there"));
            }
            Map<String, SelectionSet> provided = new TreeMap<>(state.provided());
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
        String cacheKey = type + "@" + from + (given == null ? "" : "|" + AstPrinter.printAstCompact(given));
        Set<String> cached = closureCache.get(cacheKey);
        if (cached != null) return cached;
        Set<String> reached = new LinkedHashSet<>(List.of(from));
        if (schema.roots.contains(type)) {
            // a root type is an entry point of every subgraph: the planner can always start a new fetch there
            subgraphs.values().stream().filter(s -> s.types.containsKey(type)).forEach(s -> reached.add(s.name));
            closureCache.put(cacheKey, reached);
            return reached;
        }
        // a key's fields may come from any subgraph already reached, so grow the set until it stops growing
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
                if (own != null && !own.external) {
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

    /**
     * A field's @requires is fetched from where the field is resolved: every required field must be resolvable in that
     * subgraph or in one it can move to through its keys, nested selections likewise from where their parent field
     * is resolved (Apollo resolves the conditions from the field's own subgraph, not from where the query came from).
     */
    private boolean requiresObtainable(String subgraph, String type, String field, SelectionSet provided) {
        FieldModel model = fieldIn(subgraph, type, field);
        if (model == null || model.requires == null) return true;
        SelectionSet required = FieldSetParser.parse(model.requires);
        if (provided != null) {
            // what an @provides on the way gave this subgraph is there without leaving it
            List<Selection> rest = new ArrayList<>();
            for (Selection<?> selection : required.getSelections()) {
                if (!(selection instanceof Field f) || !hasLeaf(provided, f.getName()) && subSelection(provided, f.getName()) == null) rest.add(selection);
            }
            required = SelectionSet.newSelectionSet(rest).build();
        }
        return selectionObtainable(type, required, subgraph, 0);
    }

    /** Apollo's note on an unsatisfiable @requires when a key field of the type is @external in the subgraph. */
    private String externalKeyFieldNote(String subgraph, String type) {
        TypeModel model = subgraphs.get(subgraph).types.get(type);
        if (model == null) return "";
        List<String> external = new ArrayList<>();
        for (Key key : model.keys) {
            for (Selection<?> selection : FieldSetParser.parse(key.fields()).getSelections()) {
                if (selection instanceof Field f && model.fields.containsKey(f.getName()) && model.fields.get(f.getName()).external
                        && !external.contains(f.getName())) external.add(f.getName());
            }
        }
        if (external.isEmpty()) return "";
        return " (please ensure that this is not due to key " + (external.size() == 1 ? "field " : "fields ")
                + String.join(", ", external.stream().map(f -> "\"" + f + "\"").toList()) + " being accidentally marked @external)";
    }

    private static final int MAX_REQUIRES_DEPTH = 16;

    private boolean selectionObtainable(String type, SelectionSet selections, String from, int depth) {
        if (depth > MAX_REQUIRES_DEPTH) return true; // deeper than any field set written by hand; do not guess
        Set<String> candidates = closure(type, from, null);
        for (Selection<?> selection : selections.getSelections()) {
            if (selection instanceof InlineFragment fragment) {
                String on = fragment.getTypeCondition() == null ? type : fragment.getTypeCondition().getName();
                if (!selectionObtainable(on, fragment.getSelectionSet(), from, depth + 1)) return false;
                continue;
            }
            if (!(selection instanceof Field required) || required.getName().equals("__typename")) continue;
            boolean obtainable = false;
            for (String candidate : candidates) {
                if (!resolves(candidate, type, required.getName())) continue;
                if (required.getSelectionSet() == null || required.getSelectionSet().getSelections().isEmpty()) {
                    obtainable = true;
                } else {
                    String named = namedType(fieldIn(candidate, type, required.getName()));
                    obtainable = named != null && selectionObtainable(named, required.getSelectionSet(), candidate, depth + 1);
                }
                if (obtainable) break;
            }
            if (!obtainable) return false;
        }
        return true;
    }

    private static String namedType(FieldModel field) {
        Type<?> type = field.type;
        while (!(type instanceof TypeName)) {
            if (type instanceof NonNullType nonNull) type = nonNull.getType();
            else if (type instanceof ListType list) type = list.getType();
            else return null;
        }
        return ((TypeName) type).getName();
    }

    /**
     * A @fromContext argument needs a type setting its context above the field in every query that reaches it: the
     * parent type of a field on the path is that type, implements it, or is a member of it. For each field whose
     * every resolving subgraph fills an argument from a context, a breadth-first walk of the API schema's types from
     * the roots that does not go below a type setting the context finds the shortest query where the context is
     * missing, if there is one. One walk per (subgraph, context): linear in the schema, however many types set it.
     */
    private void checkContexts() {
        for (MergedType type : schema.types.values()) {
            if (type.directives.contains("@inaccessible")) continue;
            for (MergedField field : type.fields.values()) {
                if (field.directives.contains("@inaccessible")) continue;
                List<String> resolving = subgraphs.values().stream().filter(s -> resolves(s.name, type.name, field.name)).map(s -> s.name).toList();
                if (resolving.isEmpty()) continue;
                List<String> missing = null;
                for (String subgraph : resolving) {
                    List<String> path = null;
                    for (SubgraphModel.ArgumentModel argument : fieldIn(subgraph, type.name, field.name).arguments.values()) {
                        if (argument.fromContext() == null) continue;
                        String value = argument.fromContext().trim();
                        int space = value.indexOf(' ');
                        String context = (space < 0 ? value : value.substring(0, space)).replaceFirst("^\\$", "");
                        path = pathWithoutContext(subgraph, context, type.name);
                        if (path != null) break;
                    }
                    if (path == null) {
                        missing = null; // this subgraph can always resolve the field
                        break;
                    }
                    if (missing == null) missing = path;
                }
                if (missing == null || errors.size() >= MAX_ERRORS || !reported.add(type.name + "." + field.name)) continue;
                StringBuilder query = new StringBuilder(missing.get(0).equals("Query") ? "{\n" : missing.get(0).toLowerCase(Locale.ROOT) + " {\n");
                String indent = "  ";
                for (String step : missing.subList(1, missing.size())) {
                    query.append(indent).append(step).append(" {\n");
                    indent += "  ";
                }
                query.append(indent).append(field.name).append("\n");
                for (int i = missing.size() - 1; i > 0; i--) {
                    indent = indent.substring(2);
                    query.append(indent).append("}\n");
                }
                query.append("}");
                StringBuilder why = new StringBuilder();
                for (String subgraph : resolving) {
                    why.append("\n- from subgraph \"").append(subgraph).append("\": could not find a match for required context for field \"")
                            .append(type.name).append(".").append(field.name).append("\".");
                }
                String coordinate = type.name + "." + field.name;
                errors.add(new CompositionError("SATISFIABILITY_ERROR", "The following supergraph API query:\n" + query
                        + "\ncannot be satisfied by the subgraphs because:" + why, resolving, coordinate, 0,
                        "the query above reaches " + coordinate + " without passing a type that sets the context its @fromContext reads:"
                                + " set the context on that path (@context on an enclosing type) or do not return " + type.name + " there"));
            }
        }
    }

    private final Map<String, Set<String>> inContextCache = new HashMap<>();
    /** For each type, the (parent type, step) pairs that lead to it: a field returning it, or a downcast to it. */
    private Map<String, List<String[]>> predecessors;

    /**
     * The steps (root type, then fields and "... on T") of a shortest query reaching {@code target} with the context
     * unset; null if none. Walks backwards from the target, never through a type whose fields see the context, so it
     * visits only the target's ancestors (however many types set the context).
     */
    private List<String> pathWithoutContext(String subgraph, String context, String target) {
        if (schema.roots.contains(target)) return null;
        Set<String> inContext = inContextCache.computeIfAbsent(subgraph + "|" + context, key -> typesSeeingContext(subgraph, context));
        if (predecessors == null) predecessors = predecessors();
        Map<String, String[]> next = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(target));
        next.put(target, null);
        while (!queue.isEmpty()) {
            String current = queue.poll();
            for (String[] edge : predecessors.getOrDefault(current, List.of())) {
                String parent = edge[0];
                if (inContext.contains(parent) || next.containsKey(parent)) continue;
                next.put(parent, new String[] {current, edge[1]});
                if (schema.roots.contains(parent)) {
                    List<String> path = new ArrayList<>(List.of(parent));
                    for (String[] at = next.get(parent); at != null; at = next.get(at[0])) path.add(at[1]);
                    return path;
                }
                queue.add(parent);
            }
        }
        return null;
    }

    /** The types whose fields see a context: those setting it in the subgraph, their implementations, their union members. */
    private Set<String> typesSeeingContext(String subgraph, String context) {
        Set<String> setting = new HashSet<>();
        for (TypeModel candidate : subgraphs.get(subgraph).types.values()) {
            if (candidate.contexts.contains(context)) setting.add(candidate.name);
        }
        Set<String> inContext = new HashSet<>(setting);
        for (String name : setting) {
            MergedType type = schema.types.get(name);
            if (type == null) continue;
            if (type.kind == Kind.UNION) inContext.addAll(type.members);
            if (type.kind == Kind.INTERFACE) inContext.addAll(runtimeTypes(type));
        }
        return inContext;
    }

    private Map<String, List<String[]>> predecessors() {
        Map<String, List<String[]>> edges = new HashMap<>();
        for (MergedType type : schema.types.values()) {
            if (type.directives.contains("@inaccessible")) continue;
            if (type.kind == Kind.UNION || type.kind == Kind.INTERFACE) {
                for (String runtime : runtimeTypes(type)) edges.computeIfAbsent(runtime, k -> new ArrayList<>()).add(new String[] {type.name, "... on " + runtime});
            }
            if (type.kind == Kind.UNION) continue;
            compositeFields(type).forEach((field, returned) -> edges.computeIfAbsent(returned, k -> new ArrayList<>()).add(new String[] {type.name, field}));
        }
        return edges;
    }

    /** The accessible object types of an abstract type in the supergraph, computed once. */
    private Set<String> runtimeTypes(MergedType type) {
        return runtimeTypesCache.computeIfAbsent(type.name + "#accessible", key -> {
            Set<String> types = new TreeSet<>();
            for (MergedType candidate : schema.types.values()) {
                if (candidate.kind != Kind.OBJECT || candidate.directives.contains("@inaccessible")) continue;
                if (type.kind == Kind.UNION ? type.members.contains(candidate.name) : candidate.interfaces.contains(type.name)) types.add(candidate.name);
            }
            return types;
        });
    }

    private final Map<String, Map<String, String>> compositeFieldsCache = new HashMap<>();

    /** The accessible fields of a type that return an accessible object, interface or union: field name to that type. */
    private Map<String, String> compositeFields(MergedType type) {
        return compositeFieldsCache.computeIfAbsent(type.name, name -> {
            Map<String, String> fields = new LinkedHashMap<>();
            for (MergedField field : type.fields.values()) {
                if (field.directives.contains("@inaccessible")) continue;
                String named = field.type.replaceAll("[\\[\\]!]", "");
                MergedType next = schema.types.get(named);
                if (next == null || next.kind == Kind.SCALAR || next.kind == Kind.ENUM || next.directives.contains("@inaccessible")) continue;
                fields.put(field.name, named);
            }
            return fields;
        });
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

    /**
     * Apollo's SATISFIABILITY_ERROR: the smallest query that cannot be planned, then, for every subgraph the query can
     * be in at the field's parent, why the field cannot be fetched from there (one reason inline, several as a list).
     */
    private void report(State state, MergedType type, MergedField field, Set<String> reachable, Map<String, String> unsatisfied) {
        if (!reported.add(type.name + "." + field.name)) return;
        List<String> steps = new ArrayList<>();
        for (State s = state; s != null && s.step() != null; s = s.parent()) steps.add(0, s.step());
        steps.add(field.name);
        String operation = rootOperation(state);
        StringBuilder query = new StringBuilder(operation.equals("query") ? "{\n" : operation + " {\n");
        String indent = "  ";
        for (int i = 0; i < steps.size(); i++) {
            query.append(indent).append(steps.get(i));
            if (i < steps.size() - 1) query.append(" {\n");
            else if (composite(field)) query.append(" {\n").append(indent).append("  ...\n").append(indent).append("}\n");
            else query.append("\n");
            indent += "  ";
        }
        for (int i = steps.size() - 1; i > 0; i--) {
            indent = indent.substring(2);
            query.append(indent.substring(2)).append("}\n");
        }
        query.append("}");
        String coordinate = type.name + "." + field.name;
        Set<String> listed = new LinkedHashSet<>(state.subgraphs());
        listed.addAll(reachable);
        StringBuilder why = new StringBuilder();
        for (String subgraph : listed) {
            List<String> reasons = new ArrayList<>();
            FieldModel own = fieldIn(subgraph, type.name, field.name);
            if (unsatisfied.containsKey(subgraph)) reasons.add(unsatisfied.get(subgraph));
            else if (own == null) reasons.add("cannot find field \"" + coordinate + "\".");
            else if (overriddenAway.contains(coordinate + "@" + subgraph)) {
                reasons.add("field \"" + coordinate + "\" is not resolvable because it is overridden by " + SupergraphMerger.quoteList(overriders(type.name, field.name, subgraph)) + ".");
            } else if (own.external) reasons.add("field \"" + coordinate + "\" is not resolvable because marked @external.");
            // where the query could move from where it is (not from subgraphs it reached through keys), as Apollo lists it
            for (SubgraphModel other : state.subgraphs().contains(subgraph) ? subgraphs.values() : List.<SubgraphModel>of()) {
                TypeModel there = other.types.get(type.name);
                if (listed.contains(other.name) || there == null || !there.fields.containsKey(field.name)) continue;
                List<Key> resolvable = there.keys.stream().filter(Key::resolvable).toList();
                if (there.keys.isEmpty()) {
                    reasons.add("cannot move to subgraph \"" + other.name + "\", which has field \"" + coordinate + "\", because type \"" + type.name
                            + "\" has no @key defined in subgraph \"" + other.name + "\".");
                } else if (resolvable.isEmpty()) {
                    reasons.add("cannot move to subgraph \"" + other.name + "\", which has field \"" + coordinate + "\", because none of the @key defined on type \""
                            + type.name + "\" in subgraph \"" + other.name + "\" are resolvable (they are all declared with their \"resolvable\" argument set to false).");
                } else {
                    for (Key key : resolvable) {
                        reasons.add("cannot move to subgraph \"" + other.name + "\" using @key(fields: \"" + key.fields() + "\") of \"" + type.name
                                + "\", the key field(s) cannot be resolved from subgraph \"" + subgraph + "\".");
                    }
                }
            }
            if (reasons.isEmpty()) continue;
            why.append("\n- from subgraph \"").append(subgraph).append("\":");
            if (reasons.size() == 1) why.append(' ').append(reasons.get(0));
            else reasons.forEach(r -> why.append("\n  - ").append(r));
        }
        errors.add(new CompositionError("SATISFIABILITY_ERROR", "The following supergraph API query:\n" + query
                + "\ncannot be satisfied by the subgraphs because:" + why, List.copyOf(listed), coordinate, 0,
                "give " + type.name + " a resolvable @key in the subgraph that serves " + field.name
                        + " whose fields the other subgraphs can supply, or serve the field where the query already is"));
    }

    /** Whether a field returns an object, interface or union (Apollo then prints "field { ... }" in its queries). */
    private boolean composite(MergedField field) {
        MergedType returned = schema.types.get(field.type.replaceAll("[\\[\\]!]", ""));
        return returned != null && (returned.kind == Kind.OBJECT || returned.kind == Kind.INTERFACE || returned.kind == Kind.UNION);
    }

    private List<String> overriders(String type, String field, String from) {
        List<String> names = new ArrayList<>();
        for (SubgraphModel subgraph : subgraphs.values()) {
            FieldModel model = fieldIn(subgraph.name, type, field);
            if (model != null && from.equals(model.overrideFrom)) names.add(subgraph.name);
        }
        return names;
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
