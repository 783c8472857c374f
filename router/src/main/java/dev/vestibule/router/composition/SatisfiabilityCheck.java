package dev.vestibule.router.composition;

import dev.vestibule.router.composition.MergedSchema.MergedArgument;
import dev.vestibule.router.composition.MergedSchema.MergedField;
import dev.vestibule.router.composition.MergedSchema.MergedType;
import dev.vestibule.router.composition.QueryGraph.ContextCondition;
import dev.vestibule.router.composition.QueryGraph.Edge;
import dev.vestibule.router.composition.QueryGraph.EdgeKind;
import dev.vestibule.router.composition.QueryGraph.Vertex;
import dev.vestibule.router.composition.SubgraphModel.FieldModel;
import dev.vestibule.router.composition.SubgraphModel.Key;
import dev.vestibule.router.composition.SubgraphModel.Kind;
import dev.vestibule.router.composition.SubgraphModel.TypeModel;
import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.parser.Parser;
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
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Can every query a client may send be planned? Apollo's composition validation ({@code @apollo/composition}'s
 * {@code validate.ts} over {@code @apollo/query-graphs}' {@code graphPath.ts}, read for this and followed step by step):
 * a depth-first walk of the API schema from its roots where each state is a path in the API schema plus every path in
 * the federated {@link QueryGraph} the query can be on at that point. A supergraph field or downcast advances each
 * subgraph path directly (the field in its subgraph, its @requires and @fromContext conditions satisfied) or after
 * non-collecting jumps (keys whose fields can be fetched from where the path is, root-type jumps), and the state fails
 * when no path advances: SATISFIABILITY_ERROR with the query that reaches the point and, per subgraph, why not.
 *
 * <p>Conditions (a key's fields, a @requires selection, a context's selection) are satisfied by a sub-search of the
 * same graph from the edge's head, as Apollo's {@code simpleValidationConditionResolver}: each selection advanced
 * through direct and indirect options, abstract types exploded into their implementations, the destinations and
 * conditions already being resolved excluded (so a sub-search never loops). Results are memoised per (vertex,
 * condition, exclusions).
 *
 * <p>Bounds, as Apollo's: a state is skipped when the API type was already walked with a subset of its subgraph
 * positions (subgraph, type and the contexts set on the way) and override labels; after a jump into a subgraph, only
 * the shortest jump to each other subgraph is kept; jumps are not taken at the top level of an operation. The open
 * states' subgraph paths count against Apollo's budget (1,000,000, MAX_VALIDATION_SUBGRAPH_PATHS_EXCEEDED). Two of our
 * own: the paths of a state are de-duplicated by what decides their future (vertex, last edge, the heads at
 * context-setting types, the contexts key), and a type explosion keeps at most {@value #MAX_OPTIONS} simultaneous
 * combinations.
 */
final class SatisfiabilityCheck {
    /** Apollo reports every failing state; a broken set can fail at thousands, and the first hundred say what to fix. */
    private static final int MAX_ERRORS = 100;
    private static final int MAX_OPTIONS = 64;
    private static final long MAX_VALIDATION_SUBGRAPH_PATHS = 1_000_000;

    private final QueryGraph graph;
    private final MergedSchema schema;
    private final List<CompositionError> errors;
    private final Map<String, Set<String>> contexts;
    private final Map<String, List<Visit>> previousVisits = new HashMap<>();
    private final Map<String, Map<String, List<CompositionError>>> mutationErrors = new LinkedHashMap<>();
    private final Map<String, Boolean> resolutions = new HashMap<>();
    private final Map<String, SelectionSet> contextSelections = new HashMap<>();
    private final Map<String, List<Transition>> transitions = new HashMap<>();
    private long openPaths;
    /** Condition resolutions computed (not memoised): bounded like the paths, so no input can make the search run away. */
    private long resolutionsComputed;
    private static final long MAX_RESOLUTIONS = 2_000_000;

    /** The search went past its budget: reported as Apollo reports its own (MAX_VALIDATION_SUBGRAPH_PATHS_EXCEEDED). */
    private static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() {
            super(null, null, false, false);
        }
    }

    SatisfiabilityCheck(List<SubgraphModel> models, MergedSchema schema, List<CompositionError> errors) {
        this.graph = new QueryGraph(models, schema);
        this.schema = schema;
        this.errors = errors;
        this.contexts = graph.contextsByType();
    }

    // ---- paths in the federated graph

    /** A path in the federated query graph: its tail, the edge that led there and the path before it. */
    private final class Path {
        final Vertex tail;
        final Edge lastEdge;
        final Path prev;
        final int size;
        /** Apollo's isOnTopLevelQueryRoot: no field taken yet, only root types on the way. */
        final boolean topLevel;
        Indirect indirect;

        Path(Vertex tail, Edge lastEdge, Path prev, int size, boolean topLevel) {
            this.tail = tail;
            this.lastEdge = lastEdge;
            this.prev = prev;
            this.size = size;
            this.topLevel = topLevel;
        }

        Path add(Edge edge) {
            boolean top = topLevel && edge.kind() != EdgeKind.FIELD && schema.roots.contains(edge.tail().type());
            return new Path(edge.tail(), edge, this, size + 1, top);
        }

        boolean lastIsInterfaceObjectDowncastAfterEntering() {
            return lastEdge != null && lastEdge.kind() == EdgeKind.INTERFACE_OBJECT_DOWNCAST && prev != null && prev.lastEdge != null
                    && prev.lastEdge.changesSubgraph();
        }

        String dedupKey(Map<String, String> contextKey) {
            StringBuilder key = new StringBuilder(tail.toString()).append('/');
            if (lastEdge != null) {
                key.append(lastEdge.kind());
                if (lastEdge.kind() == EdgeKind.KEY) key.append('=').append(System.identityHashCode(lastEdge.conditions()));
                if (lastIsInterfaceObjectDowncastAfterEntering()) key.append('!');
            }
            return key.append('/').append(topLevel).append('/').append(contextKey).toString();
        }
    }

    /** Why a path cannot advance: Apollo's Unadvanceable (source subgraph, destination subgraph, details). */
    private record Dead(String source, String destination, String details) {}

    /** Options after advancing (null when it cannot advance; empty when the transition can never have results), or why not. */
    private record Advance(List<Path> options, List<Supplier<List<Dead>>> deadEnds) {
        static Advance of(List<Path> options) {
            return new Advance(options, List.of());
        }

        static Advance dead(List<Supplier<List<Dead>>> deadEnds) {
            return new Advance(null, deadEnds);
        }
    }

    private record Indirect(List<Path> paths, List<Supplier<List<Dead>>> deadEnds) {}

    private enum Resolution { SATISFIED, UNSATISFIED, NO_POST_REQUIRE_KEY, NO_CONTEXT_SET }

    // ---- the API schema side

    /** A field or a downcast of the API schema; a field under a progressive @override comes once per label value. */
    private record Transition(boolean field, String parent, String name, MergedField definition, String target, String overrideLabel,
                              boolean overrideValue) {
        String coordinate() {
            return parent + "." + name;
        }
    }

    private record ApiPath(String type, ApiPath parent, Transition step) {}

    private record PathInfo(Path path, Map<String, String> contexts) {}

    /** A state: the API path and where the query can be; under a shared top-level mutation field, per subgraph of it. */
    private record State(ApiPath api, List<PathInfo> paths, String mutationField, Map<String, List<PathInfo>> partitions,
                         Map<String, Boolean> overrides) {
        List<PathInfo> all() {
            if (partitions == null) return paths;
            List<PathInfo> all = new ArrayList<>();
            partitions.values().forEach(all::addAll);
            return all;
        }
    }

    private record Visit(Set<String> keys, Map<String, Boolean> overrides) {}

    void check() {
        Deque<State> stack = new ArrayDeque<>();
        for (String root : List.of("Query", "Mutation", "Subscription")) {
            MergedType type = schema.types.get(root);
            if (!schema.roots.contains(root) || type == null || type.directives.contains("@inaccessible")) continue;
            List<PathInfo> paths = new ArrayList<>();
            Vertex federatedRoot = new Vertex("", "[" + root + "]", null);
            for (SubgraphModel subgraph : graph.subgraphs.values()) {
                if (!subgraph.types.containsKey(root)) continue;
                Vertex vertex = new Vertex(subgraph.name, root, null);
                Edge enter = new Edge(EdgeKind.ENTER, federatedRoot, vertex, null, null, null, false, List.of());
                paths.add(new PathInfo(new Path(vertex, enter, null, 1, true), Map.of()));
            }
            if (paths.isEmpty()) continue;
            push(stack, new State(new ApiPath(root, null, null), paths, null, null, Map.of()));
        }
        try {
            while (!stack.isEmpty() && errors.size() < MAX_ERRORS) {
                State state = stack.pop();
                openPaths -= state.all().size();
                handle(state, stack);
                if (openPaths > MAX_VALIDATION_SUBGRAPH_PATHS) throw new BudgetExceeded();
            }
        } catch (BudgetExceeded e) {
            errors.add(new CompositionError("MAX_VALIDATION_SUBGRAPH_PATHS_EXCEEDED", "Maximum number of validation subgraph paths exceeded: "
                    + openPaths + " open subgraph paths, " + resolutionsComputed + " condition resolutions", List.of(), null, 0,
                    "the subgraphs give the query planner too many ways to reach the same fields: reduce the keys and @requires that"
                            + " chain through many subgraphs, or split the supergraph"));
            return;
        }
        for (Map.Entry<String, Map<String, List<CompositionError>>> entry : mutationErrors.entrySet()) {
            if (entry.getValue().values().stream().anyMatch(List::isEmpty)) continue;
            String coordinate = entry.getKey();
            StringBuilder message = new StringBuilder("Supergraph API queries using the mutation field \"" + coordinate + "\" at top-level must be"
                    + " satisfiable without needing to call that field from multiple subgraphs, but every subgraph with that field encounters"
                    + " satisfiability errors. Please fix these satisfiability errors for (at least) one of the following subgraphs with the"
                    + " mutation field:");
            entry.getValue().forEach((subgraph, failures) -> {
                message.append("\n- When calling \"").append(coordinate).append("\" at top-level from subgraph \"").append(subgraph).append("\":");
                for (CompositionError failure : failures) {
                    for (String line : failure.message().split("\n", -1)) message.append('\n').append(line.isEmpty() ? "" : "  " + line);
                }
            });
            List<String> callers = List.copyOf(entry.getValue().keySet());
            errors.add(new CompositionError("SATISFIABILITY_ERROR", message.toString(), callers, coordinate, 0,
                    "make the operations under " + coordinate + " satisfiable from one of " + String.join(", ", callers)
                            + " alone (each runs the whole mutation), or let one subgraph own the mutation field"));
        }
    }

    private void push(Deque<State> stack, State state) {
        openPaths += state.all().size();
        stack.push(state);
    }

    private void handle(State state, Deque<State> stack) {
        if (canSkipVisit(state)) return;
        MergedType type = schema.types.get(state.api().type());
        if (type == null) return;
        for (Transition transition : transitions(type)) {
            if (transition.overrideLabel() != null && state.overrides().containsKey(transition.overrideLabel())
                    && state.overrides().get(transition.overrideLabel()) != transition.overrideValue()) continue;
            Set<String> matching = transition.field() ? contexts.getOrDefault(type.name, Set.of()) : Set.of();
            State next = validateTransition(state, transition, matching);
            if (next != null && !terminal(next.api().type())) push(stack, next);
            if (errors.size() >= MAX_ERRORS) return;
        }
    }

    private boolean terminal(String typeName) {
        MergedType type = schema.types.get(typeName);
        return type == null || type.kind == Kind.SCALAR || type.kind == Kind.ENUM || transitions(type).isEmpty();
    }

    private List<Transition> transitions(MergedType type) {
        return transitions.computeIfAbsent(type.name, name -> {
            List<Transition> list = new ArrayList<>();
            if (type.kind == Kind.OBJECT) {
                for (MergedField field : type.fields.values()) {
                    if (field.directives.contains("@inaccessible") || field.name.equals("__typename")) continue;
                    String target = field.type.replaceAll("[\\[\\]!]", "");
                    String label = graph.overrideLabels.get(type.name + "." + field.name);
                    if (label == null) {
                        list.add(new Transition(true, type.name, field.name, field, target, null, false));
                    } else {
                        list.add(new Transition(true, type.name, field.name, field, target, label, true));
                        list.add(new Transition(true, type.name, field.name, field, target, label, false));
                    }
                }
            } else if (type.kind == Kind.INTERFACE || type.kind == Kind.UNION) {
                for (String runtime : graph.supergraphRuntimeTypes(type, true)) {
                    list.add(new Transition(false, type.name, runtime, null, runtime, null, false));
                }
            }
            return list;
        });
    }

    private boolean canSkipVisit(State state) {
        if (state.partitions() == null) return canSkipVisit(state.api().type(), state.paths(), state.overrides());
        boolean skip = true;
        for (List<PathInfo> paths : state.partitions().values()) {
            // every partition is recorded, so no short-circuit
            if (!canSkipVisit(state.api().type(), paths, state.overrides())) skip = false;
        }
        return skip;
    }

    private boolean canSkipVisit(String type, List<PathInfo> paths, Map<String, Boolean> overrides) {
        Set<String> keys = new HashSet<>();
        for (PathInfo info : paths) {
            StringBuilder key = new StringBuilder(info.path().tail.subgraph()).append('.').append(info.path().tail.type()).append('[');
            info.contexts().forEach((k, v) -> key.append(k).append('=').append(v).append(','));
            keys.add(key.append(']').toString());
        }
        Visit current = new Visit(keys, overrides);
        List<Visit> visits = previousVisits.get(type);
        if (visits == null) {
            previousVisits.put(type, new ArrayList<>(List.of(current)));
            return false;
        }
        for (Visit previous : visits) {
            if (keys.containsAll(previous.keys()) && previous.overrides().entrySet().stream()
                    .allMatch(e -> e.getValue().equals(overrides.get(e.getKey())))) return true;
        }
        visits.add(current);
        return false;
    }

    private State validateTransition(State state, Transition transition, Set<String> matchingContexts) {
        Map<String, Boolean> overrides = state.overrides();
        if (transition.overrideLabel() != null) {
            overrides = new TreeMap<>(overrides);
            overrides.put(transition.overrideLabel(), transition.overrideValue());
        }
        ApiPath api = new ApiPath(transition.target(), state.api(), transition);
        State next;
        if (state.partitions() == null) {
            List<PathInfo> advanced = advancePaths(state.paths(), overrides, transition, matchingContexts, api, errors);
            if (advanced == null || advanced.isEmpty()) return null;
            if (state.api().parent() == null && transition.field() && state.api().type().equals("Mutation")) {
                Map<String, List<PathInfo>> partitions = new LinkedHashMap<>();
                for (PathInfo info : advanced) {
                    partitions.computeIfAbsent(info.path().lastEdge.head().subgraph(), k -> new ArrayList<>()).add(info);
                }
                if (partitions.size() <= 1) {
                    next = new State(api, advanced, null, null, overrides);
                } else {
                    Map<String, List<CompositionError>> bySubgraph = mutationErrors.computeIfAbsent(transition.coordinate(), k -> new LinkedHashMap<>());
                    partitions.keySet().forEach(s -> bySubgraph.computeIfAbsent(s, k -> new ArrayList<>()));
                    next = new State(api, null, transition.coordinate(), partitions, overrides);
                }
            } else {
                next = new State(api, advanced, null, null, overrides);
            }
        } else {
            Map<String, List<PathInfo>> partitions = new LinkedHashMap<>();
            for (Map.Entry<String, List<PathInfo>> entry : state.partitions().entrySet()) {
                List<CompositionError> own = mutationErrors.get(state.mutationField()).get(entry.getKey());
                List<PathInfo> advanced = advancePaths(entry.getValue(), overrides, transition, matchingContexts, api, own);
                if (advanced == null) continue;
                if (advanced.isEmpty()) return null;
                partitions.put(entry.getKey(), advanced);
            }
            if (partitions.isEmpty()) return null;
            next = new State(api, null, state.mutationField(), partitions, overrides);
        }
        return sharedRuntimeTypesIntersect(next, transition) ? next : null;
    }

    /**
     * Every subgraph path advanced by the transition; null (and an error in {@code sink}) when none can be, empty when
     * the transition is a type condition that can have no result from some path.
     */
    private List<PathInfo> advancePaths(List<PathInfo> paths, Map<String, Boolean> overrides, Transition transition, Set<String> matchingContexts,
                                        ApiPath api, List<CompositionError> sink) {
        List<PathInfo> advanced = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Supplier<List<Dead>>> deadEnds = new ArrayList<>();
        for (PathInfo info : paths) {
            Advance advance = advanceWithTransition(info.path(), transition, overrides);
            if (advance.options() == null) {
                deadEnds.addAll(advance.deadEnds());
                continue;
            }
            if (advance.options().isEmpty()) return List.of();
            for (Path option : advance.options()) {
                Map<String, String> contextKey = contextsAfter(info.contexts(), matchingContexts, option, transition.target());
                if (seen.add(option.dedupKey(contextKey))) advanced.add(new PathInfo(option, contextKey));
            }
        }
        if (!advanced.isEmpty()) return advanced;
        String coordinate = transition.field() ? transition.coordinate() : transition.name();
        List<Dead> reasons = new ArrayList<>();
        deadEnds.forEach(d -> reasons.addAll(d.get()));
        Map<String, List<String>> bySubgraph = new LinkedHashMap<>();
        for (Dead dead : reasons) bySubgraph.computeIfAbsent(dead.source(), k -> new ArrayList<>()).add(dead.details());
        StringBuilder why = new StringBuilder();
        bySubgraph.forEach((subgraph, details) -> {
            why.append("\n- from subgraph \"").append(subgraph).append("\":");
            if (details.size() == 1) {
                why.append(' ').append(details.get(0)).append('.');
            } else {
                for (String detail : new LinkedHashSet<>(details)) why.append("\n  - ").append(detail).append('.');
            }
        });
        MergedType parent = schema.types.get(transition.parent());
        String hint = transition.field()
                ? "the query above cannot be planned: give " + transition.parent() + " a resolvable @key whose fields the subgraphs on the way"
                        + " can supply in a subgraph that resolves " + transition.name() + ", or resolve the field where the query already is"
                : "the query above cannot be planned: make " + transition.name() + " reachable from where the query is on "
                        + (parent == null ? transition.parent() : parent.name);
        sink.add(new CompositionError("SATISFIABILITY_ERROR", "The following supergraph API query:\n" + witness(api)
                + "\ncannot be satisfied by the subgraphs because:" + why, List.copyOf(bySubgraph.keySet()), coordinate, 0, hint));
        return null;
    }

    /**
     * Where each context a later @fromContext may read was set: the vertex a field of a type setting it was taken at
     * (its selection is fetched from there), kept only while some reader below can still need it. Apollo keys its
     * visits with the latest context's position under the context's index, so every context-setting type on a long
     * cycle made each type below it a new visit (quadratic on the robustness test's 600 contexts); keyed by name and
     * dropped where no reader can follow, each type is visited a bounded number of times, with the same answers.
     */
    private Map<String, String> contextsAfter(Map<String, String> before, Set<String> matching, Path option, String target) {
        if (before.isEmpty() && matching.isEmpty()) return before;
        Set<String> relevant = relevantContexts(target);
        Map<String, String> after = new TreeMap<>();
        before.forEach((context, at) -> {
            if (relevant.contains(context)) after.put(context, at);
        });
        if (option.lastEdge != null && option.lastEdge.kind() == EdgeKind.FIELD) {
            for (String context : matching) {
                if (relevant.contains(context)) after.put(context, option.lastEdge.head().toString());
            }
        }
        return after.equals(before) ? before : after;
    }

    private Map<String, Set<String>> relevantContexts;

    /**
     * The contexts whose setting position matters at a type: those read by a @fromContext field reachable from it
     * without taking a field of a type that sees the context (which would set it again). A backward walk from each
     * reading field's type over the API schema's fields and downcasts, stopping at such types.
     */
    private Set<String> relevantContexts(String type) {
        if (relevantContexts == null) {
            relevantContexts = new HashMap<>();
            Map<String, List<String[]>> predecessors = new HashMap<>();
            for (MergedType t : schema.types.values()) {
                if (t.directives.contains("@inaccessible")) continue;
                for (Transition transition : transitions(t)) {
                    predecessors.computeIfAbsent(transition.target(), k -> new ArrayList<>()).add(new String[] {t.name, transition.field() ? "f" : "d"});
                }
            }
            for (SubgraphModel subgraph : graph.subgraphs.values()) {
                for (TypeModel owner : subgraph.types.values()) {
                    for (FieldModel field : owner.fields.values()) {
                        for (SubgraphModel.ArgumentModel argument : field.arguments.values()) {
                            if (argument.fromContext() == null) continue;
                            SubgraphReader.ContextReference reference = SubgraphReader.parseContextReference(argument.fromContext());
                            if (reference == null) continue;
                            String context = subgraph.name + "__" + reference.context();
                            Set<String> seen = new HashSet<>(List.of(owner.name));
                            Deque<String> queue = new ArrayDeque<>(List.of(owner.name));
                            while (!queue.isEmpty()) {
                                String current = queue.poll();
                                relevantContexts.computeIfAbsent(current, k -> new HashSet<>()).add(context);
                                for (String[] edge : predecessors.getOrDefault(current, List.of())) {
                                    boolean setsIt = edge[1].equals("f") && contexts.getOrDefault(edge[0], Set.of()).contains(context);
                                    if (!setsIt && seen.add(edge[0])) queue.add(edge[0]);
                                }
                            }
                        }
                    }
                }
            }
        }
        return relevantContexts.getOrDefault(type, Set.of());
    }

    /**
     * A shared field several subgraphs resolve must be able to return the same objects from each: when the runtime
     * types of its abstract return type have nothing in common across those subgraphs, no answer could be shared.
     */
    private boolean sharedRuntimeTypesIntersect(State state, Transition transition) {
        List<PathInfo> all = state.all();
        if (all.size() < 2 || !transition.field()) return true;
        MergedType target = schema.types.get(transition.target());
        if (target == null || target.kind == Kind.OBJECT || target.kind == Kind.SCALAR || target.kind == Kind.ENUM) return true;
        if (!isShareable(transition.parent(), transition.name())) return true;
        long abstractTails = all.stream().filter(p -> {
            TypeModel t = graph.typeOf(p.path().tail);
            return t != null && (t.kind == Kind.INTERFACE || t.kind == Kind.UNION);
        }).count();
        if (abstractTails < 2) return true;
        List<String> allRuntime = new ArrayList<>(graph.supergraphRuntimeTypes(target, true));
        allRuntime.sort(null);
        List<String> intersection = new ArrayList<>(allRuntime);
        Map<String, List<String>> typesToSubgraphs = new LinkedHashMap<>();
        boolean allEmpty = true;
        for (PathInfo info : all) {
            List<String> names = new ArrayList<>(graph.runtimeTypes(info.path().tail));
            names.sort(null);
            if (names.size() == 1 && !allRuntime.contains(names.get(0))) continue; // an @interfaceObject stands in for any
            String text = "no runtime type is defined";
            if (!names.isEmpty()) {
                text = (names.size() > 1 ? "types " : "type ") + SupergraphMerger.quoteList(names);
                allEmpty = false;
            }
            List<String> subgraphs = typesToSubgraphs.computeIfAbsent(text, k -> new ArrayList<>());
            if (!subgraphs.contains(info.path().tail.subgraph())) subgraphs.add(info.path().tail.subgraph());
            intersection.retainAll(names);
        }
        if (allEmpty || !intersection.isEmpty()) return true;
        List<String> lines = new ArrayList<>();
        Set<String> involved = new LinkedHashSet<>();
        typesToSubgraphs.forEach((text, subgraphs) -> {
            involved.addAll(subgraphs);
            lines.add(" - in " + (subgraphs.size() == 1 ? "subgraph " : "subgraphs ") + SupergraphMerger.quoteList(subgraphs) + ", " + text);
        });
        String coordinate = transition.coordinate();
        errors.add(new CompositionError("SHAREABLE_HAS_MISMATCHED_RUNTIME_TYPES", "For the following supergraph API query:\n"
                + witness(state.api()) + "\nShared field \"" + coordinate + "\" return type \"" + transition.definition().type
                + "\" has a non-intersecting set of possible runtime types across subgraphs. Runtime types in subgraphs are:\n"
                + String.join(";\n", lines) + ".\nThis is not allowed as shared fields must resolve the same way in all subgraphs, and that"
                + " implies at least some common runtime types between the subgraphs.", List.copyOf(involved), coordinate, 0,
                "let every subgraph that resolves " + coordinate + " return at least one common type of " + target.name
                        + " (add it to the union or make it implement the interface there), or stop sharing the field"));
        return false;
    }

    /** Apollo's ValidationContext.isShareable: more than one subgraph resolves the field (not @external, not overridden away). */
    private boolean isShareable(String type, String field) {
        int resolving = 0;
        for (SubgraphModel subgraph : graph.subgraphs.values()) {
            FieldModel model = graph.field(subgraph.name, type, field);
            if (model != null && !model.external && !graph.isOverriddenAway(subgraph.name, type, field)) resolving++;
        }
        return resolving > 1;
    }

    // ---- advancing a subgraph path with an API schema transition (Apollo's advancePathWithTransition)

    private Advance advanceWithTransition(Path path, Transition transition, Map<String, Boolean> overrides) {
        if (!transition.field()) {
            MergedType source = schema.types.get(transition.parent());
            TypeModel tail = graph.typeOf(path.tail);
            boolean interfaceObjectTail = source != null && source.kind == Kind.INTERFACE && tail != null && tail.kind == Kind.OBJECT;
            if (!interfaceObjectTail) {
                // a type condition the subgraph's objects can never satisfy: nothing to check below it
                Set<String> wanted = graph.supergraphRuntimeTypes(schema.types.get(transition.name()), true);
                if (graph.runtimeTypes(path.tail).stream().noneMatch(wanted::contains)) return Advance.of(List.of());
            }
        }
        Advance direct = advanceDirect(path, transition, overrides);
        List<Path> options = new ArrayList<>();
        List<Supplier<List<Dead>>> deadEnds = new ArrayList<>();
        if (direct.options() == null) {
            deadEnds.addAll(direct.deadEnds());
        } else {
            MergedType target = schema.types.get(transition.target());
            boolean leaf = target == null || target.kind == Kind.SCALAR || target.kind == Kind.ENUM;
            if (!direct.options().isEmpty() && leaf) return direct;
            options.addAll(direct.options());
        }
        Indirect indirect = indirect(path, List.of(), List.of());
        for (Path jumped : indirect.paths()) {
            Advance advance = advanceDirect(jumped, transition, overrides);
            if (advance.options() == null) deadEnds.addAll(advance.deadEnds());
            else options.addAll(advance.options());
        }
        if (!options.isEmpty()) return Advance.of(options);
        deadEnds.addAll(indirect.deadEnds());
        return Advance.dead(List.of(() -> {
            List<Dead> all = new ArrayList<>();
            deadEnds.forEach(d -> all.addAll(d.get()));
            if (transition.field()) all.addAll(unreachableSubgraphs(path, transition, all));
            return all;
        }));
    }

    /** Subgraphs that have the field but no recorded dead end: there is no edge into them (no key, or none resolvable). */
    private List<Dead> unreachableSubgraphs(Path path, Transition transition, List<Dead> recorded) {
        Set<String> withDeadEnd = new HashSet<>();
        recorded.forEach(d -> withDeadEnd.add(d.destination()));
        List<Dead> more = new ArrayList<>();
        String tailType = path.tail.type();
        for (SubgraphModel subgraph : graph.subgraphs.values()) {
            if (withDeadEnd.contains(subgraph.name)) continue;
            TypeModel type = subgraph.types.get(transition.parent());
            if (type == null || type.kind == Kind.UNION || !type.fields.containsKey(transition.name())) continue;
            TypeModel tailInSubgraph = subgraph.types.get(tailType);
            String coordinate = transition.coordinate();
            if (tailInSubgraph == null) {
                more.add(new Dead(path.tail.subgraph(), subgraph.name, "cannot move to subgraph \"" + subgraph.name + "\", which has field \""
                        + coordinate + "\", because interface \"" + tailType + "\" is not defined in this subgraph (to jump to \"" + subgraph.name
                        + "\", it would need to both define interface \"" + tailType + "\" and have a @key on it)"));
                continue;
            }
            List<Key> keys = tailInSubgraph.keys;
            if (keys.stream().anyMatch(Key::resolvable)) continue; // reachable in principle; its dead end was recorded elsewhere
            String kind = tailInSubgraph == type ? "type" : "interface";
            String explanation = keys.isEmpty()
                    ? kind + " \"" + tailType + "\" has no @key defined in subgraph \"" + subgraph.name + "\""
                    : "none of the @key defined on " + kind + " \"" + tailType + "\" in subgraph \"" + subgraph.name
                            + "\" are resolvable (they are all declared with their \"resolvable\" argument set to false)";
            more.add(new Dead(path.tail.subgraph(), subgraph.name, "cannot move to subgraph \"" + subgraph.name + "\", which has field \""
                    + coordinate + "\", because " + explanation));
        }
        return more;
    }

    private Advance advanceDirect(Path start, Transition transition, Map<String, Boolean> overrides) {
        Path path = start;
        TypeModel tailType = graph.typeOf(path.tail);
        if (transition.field() && !transition.parent().equals(path.tail.type()) && tailType != null && tailType.kind != Kind.SCALAR
                && tailType.kind != Kind.ENUM && !tailType.interfaceObject) {
            // a type condition an @interfaceObject absorbed, restored once a key left it for the real interface
            Edge cast = null;
            for (Edge edge : graph.named(path.tail, transition.parent())) {
                if (edge.kind() == EdgeKind.DOWNCAST) cast = edge;
            }
            if (cast == null) {
                Path at = path;
                return Advance.dead(List.of(() -> List.of(new Dead(at.tail.subgraph(), at.tail.subgraph(), "cannot find type \"" + transition.parent() + "\""))));
            }
            path = path.add(cast);
        }
        if (!transition.field() && transition.name().equals(path.tail.type())) return Advance.of(List.of(path));
        List<Path> options = new ArrayList<>();
        List<Supplier<List<Dead>>> deadEnds = new ArrayList<>();
        Path from = path;
        for (Edge edge : graph.named(path.tail, transition.name())) {
            boolean matches = transition.field() ? edge.kind() == EdgeKind.FIELD
                    : edge.kind() == EdgeKind.DOWNCAST || edge.kind() == EdgeKind.INTERFACE_OBJECT_DOWNCAST;
            if (!matches) continue;
            if (edge.overrideLabel() != null && !Boolean.valueOf(edge.overrideValue()).equals(overrides.get(edge.overrideLabel()))) {
                deadEnds.add(() -> List.of(new Dead(edge.head().subgraph(), edge.tail().subgraph(), "Unable to take edge " + edge.head() + " -> "
                        + edge.tail() + " (" + (edge.conditions() == null ? "" : "{ " + QueryGraph.print(edge.conditions()) + " }, ")
                        + edge.overrideLabel() + " = " + edge.overrideValue() + " ⊢ " + edge.name() + ") because override condition \""
                        + edge.overrideLabel() + "\" is " + overrides.get(edge.overrideLabel()))));
                continue;
            }
            Resolution resolution = canSatisfyConditions(from, edge, List.of(), List.of());
            if (resolution == Resolution.SATISFIED) {
                options.add(from.add(edge));
            } else {
                deadEnds.add(() -> List.of(conditionDeadEnd(edge, resolution)));
            }
        }
        if (!options.isEmpty()) return Advance.of(options);
        return Advance.dead(List.of(() -> deadEnds.isEmpty() ? List.of(noMatchingTransition(from, transition)) : flatten(deadEnds)));
    }

    private static List<Dead> flatten(List<Supplier<List<Dead>>> suppliers) {
        List<Dead> all = new ArrayList<>();
        suppliers.forEach(s -> all.addAll(s.get()));
        return all;
    }

    private Dead conditionDeadEnd(Edge edge, Resolution resolution) {
        String subgraph = edge.head().subgraph();
        if (edge.kind() == EdgeKind.INTERFACE_OBJECT_DOWNCAST) {
            return new Dead(subgraph, subgraph, resolution == Resolution.NO_POST_REQUIRE_KEY
                    ? "@interfaceObject type \"" + edge.head().type() + "\" misses a resolvable key to resume query once the implementation type has been resolved"
                    : "no subgraph can be reached to resolve the implementation type of @interfaceObject type \"" + edge.head().type() + "\"");
        }
        String coordinate = edge.head().type() + "." + edge.name();
        String details = switch (resolution) {
            case NO_POST_REQUIRE_KEY -> "@require condition on field \"" + coordinate + "\" can be satisfied but missing usable key on \""
                    + edge.head().type() + "\" in subgraph \"" + subgraph + "\" to resume query";
            case NO_CONTEXT_SET -> "could not find a match for required context for field \"" + coordinate + "\"";
            default -> "cannot satisfy @require conditions on field \"" + coordinate + "\"" + externalKeyFieldNote(subgraph, edge.head().type());
        };
        return new Dead(subgraph, subgraph, details);
    }

    private Dead noMatchingTransition(Path path, Transition transition) {
        String subgraph = path.tail.subgraph();
        String details;
        if (transition.field()) {
            TypeModel type = graph.subgraphs.get(subgraph).types.get(transition.parent());
            String coordinate = transition.coordinate();
            if (type == null && !path.tail.type().equals(transition.parent())) {
                details = "cannot find implementation type \"" + transition.parent() + "\" (supergraph interface \"" + path.tail.type()
                        + "\" is declared with @interfaceObject in \"" + subgraph + "\")";
            } else {
                FieldModel field = type == null ? null : type.fields.get(transition.name());
                if (field != null && !field.external && graph.isOverriddenAway(subgraph, transition.parent(), transition.name())) {
                    details = "field \"" + coordinate + "\" is not resolvable because it is overridden by "
                            + SupergraphMerger.quoteList(overriders(transition.parent(), transition.name(), subgraph));
                } else if (field != null) {
                    details = "field \"" + coordinate + "\" is not resolvable because marked @external";
                } else {
                    details = "cannot find field \"" + coordinate + "\"";
                }
            }
        } else {
            details = "cannot find type \"" + transition.name() + "\"";
        }
        return new Dead(subgraph, subgraph, details);
    }

    private List<String> overriders(String type, String field, String from) {
        List<String> names = new ArrayList<>();
        for (SubgraphModel subgraph : graph.subgraphs.values()) {
            FieldModel model = graph.field(subgraph.name, type, field);
            if (model != null && from.equals(model.overrideFrom)) names.add(subgraph.name);
        }
        return names;
    }

    // ---- indirect options: keys and root-type jumps (Apollo's advancePathWithNonCollectingAndTypePreservingTransitions)

    private Indirect indirect(Path path, List<String> excludedDestinations, List<SelectionSet> excludedConditions) {
        boolean memo = excludedDestinations.isEmpty() && excludedConditions.isEmpty();
        if (memo && path.indirect != null) return path.indirect;
        Indirect result = computeIndirect(path, excludedDestinations, excludedConditions);
        if (memo) path.indirect = result;
        return result;
    }

    private Indirect computeIndirect(Path path, List<String> excludedDestinations, List<SelectionSet> excludedConditions) {
        if (path.lastIsInterfaceObjectDowncastAfterEntering()) {
            return new Indirect(List.of(), List.of(() -> {
                Set<String> reachable = new LinkedHashSet<>();
                for (Edge edge : graph.edges(path.tail).nonCollecting()) {
                    if (!edge.tail().subgraph().equals(path.tail.subgraph())) reachable.add(edge.tail().subgraph());
                }
                return reachable.stream().map(s -> new Dead(path.tail.subgraph(), s, "ignoring moving from \"" + path.tail.subgraph() + "\" to \""
                        + s + "\" as a more direct option exists")).toList();
            }));
        }
        String original = path.tail.subgraph();
        Map<String, Path> best = new LinkedHashMap<>();
        List<Supplier<List<Dead>>> deadEnds = new ArrayList<>();
        List<Path> toTry = new ArrayList<>(List.of(path));
        while (!toTry.isEmpty()) {
            Path toAdvance = popShortest(toTry);
            List<Edge> all = graph.edges(toAdvance.tail).nonCollecting();
            List<Edge> next = nonTrivialFollowups(toAdvance, all);
            if (next.isEmpty()) {
                if (!all.isEmpty()) {
                    deadEnds.add(() -> {
                        List<Dead> ignored = new ArrayList<>();
                        for (Edge edge : all) {
                            String to = edge.tail().subgraph();
                            if (to.equals(toAdvance.tail.subgraph()) || to.equals(original)) continue;
                            ignored.add(new Dead(toAdvance.tail.subgraph(), to, "ignoring moving to subgraph \"" + to + "\" using @key(fields: \""
                                    + (edge.conditions() == null ? "undefined" : QueryGraph.print(edge.conditions())) + "\") of \"" + edge.head().type()
                                    + "\" because there is a more direct path in " + to + " that avoids " + toAdvance.tail.subgraph() + " altogether"));
                        }
                        return ignored;
                    });
                }
                continue;
            }
            for (Edge edge : next) {
                String target = edge.tail().subgraph();
                if (excludedDestinations.contains(target) || target.equals(original)) continue;
                // a jump at the very start of an operation is never needed: the operation can start in that subgraph
                if (path.topLevel && (edge.kind() == EdgeKind.ROOT || edge.kind() == EdgeKind.KEY)) continue;
                Path previous = best.get(target);
                if (previous != null && previous.size <= toAdvance.size + 1) continue;
                if (edge.conditions() != null && containsIdentity(excludedConditions, edge.conditions())) continue;
                List<String> excluded = new ArrayList<>(excludedDestinations);
                if (!excluded.contains(target)) excluded.add(target);
                Resolution resolution = canSatisfyConditions(toAdvance, edge, excluded, excludedConditions);
                if (resolution == Resolution.SATISFIED) {
                    Path updated = toAdvance.add(edge);
                    best.put(target, updated);
                    if (edge.kind() == EdgeKind.KEY && edge.changesSubgraph()) toTry.add(updated);
                } else {
                    deadEnds.add(() -> {
                        String from = toAdvance.tail.subgraph();
                        String note = conditionHasOverriddenField(from, edge) ? " (note that some of those key fields are overridden in \"" + from + "\")" : "";
                        return List.of(new Dead(from, target, "cannot move to subgraph \"" + target + "\" using @key(fields: \""
                                + QueryGraph.print(edge.conditions()) + "\") of \"" + edge.head().type() + "\", the key field(s) cannot be resolved from subgraph \""
                                + from + "\"" + note));
                    });
                }
            }
        }
        return new Indirect(List.copyOf(best.values()), deadEnds);
    }

    private static Path popShortest(List<Path> paths) {
        int index = 0;
        for (int i = 1; i < paths.size(); i++) if (paths.get(i).size < paths.get(index).size) index = i;
        return paths.remove(index);
    }

    /** Apollo's non-trivial follow-ups: after a key, not another key with the same fields; after a root jump, not another. */
    private static List<Edge> nonTrivialFollowups(Path path, List<Edge> edges) {
        Edge last = path.lastEdge;
        if (last == null) return edges;
        return switch (last.kind()) {
            case KEY -> edges.stream().filter(e -> e.kind() != EdgeKind.KEY || !sameConditions(e.conditions(), last.conditions())).toList();
            case ROOT, ENTER -> edges.stream().filter(e -> e.kind() != EdgeKind.ROOT).toList();
            default -> edges;
        };
    }

    private static boolean sameConditions(SelectionSet a, SelectionSet b) {
        if (a == b) return true;
        return a != null && b != null && QueryGraph.print(a).equals(QueryGraph.print(b));
    }

    private static boolean containsIdentity(List<SelectionSet> list, SelectionSet set) {
        for (SelectionSet s : list) if (sameConditions(s, set)) return true;
        return false;
    }

    private boolean conditionHasOverriddenField(String subgraph, Edge edge) {
        TypeModel type = graph.subgraphs.get(subgraph).types.get(edge.head().type());
        if (type == null || edge.conditions() == null) return false;
        for (Selection<?> selection : edge.conditions().getSelections()) {
            if (selection instanceof Field f && type.fields.containsKey(f.getName()) && graph.isOverriddenAway(subgraph, type.name, f.getName())) return true;
        }
        return false;
    }

    // ---- conditions (Apollo's canSatisfyConditions and simpleValidationConditionResolver)

    private Resolution canSatisfyConditions(Path path, Edge edge, List<String> excludedDestinations, List<SelectionSet> excludedConditions) {
        if (edge.conditions() == null && edge.contexts().isEmpty()) return Resolution.SATISFIED;
        if (!edge.contexts().isEmpty()) {
            Set<String> matched = new HashSet<>();
            boolean unsatisfiedSelection = false;
            for (ContextCondition context : edge.contexts()) {
                for (Path at = path; at != null && !unsatisfiedSelection && !matched.contains(context.argument()); at = at.prev) {
                    Edge taken = at.lastEdge;
                    if (taken == null || taken.kind() != EdgeKind.FIELD) continue;
                    String parent = taken.head().type();
                    if (!seesContext(parent, context.typesSettingIt())) continue;
                    SelectionSet selection = contextSelection(parent, context.selection());
                    boolean satisfied = selection == null || resolve(taken.head(), selection, excludedDestinations, excludedConditions);
                    matched.add(context.argument());
                    unsatisfiedSelection = !satisfied;
                }
            }
            if (edge.contexts().stream().anyMatch(c -> !matched.contains(c.argument()))) return Resolution.NO_CONTEXT_SET;
            if (unsatisfiedSelection) return Resolution.UNSATISFIED;
            if (!hasLocallySatisfiableKey(edge.head())) return Resolution.NO_POST_REQUIRE_KEY;
            if (edge.conditions() == null) return Resolution.SATISFIED;
        }
        if (!resolve(edge.head(), edge.conditions(), excludedDestinations, excludedConditions)) return Resolution.UNSATISFIED;
        if (edge.kind() == EdgeKind.FIELD && path.lastEdge != null && path.lastEdge.kind() != EdgeKind.KEY && !hasLocallySatisfiableKey(edge.head())) {
            return Resolution.NO_POST_REQUIRE_KEY;
        }
        return Resolution.SATISFIED;
    }

    /** Whether fields of {@code parent} see a context set on one of {@code setting}: the type itself, an interface of it, a union of it. */
    private boolean seesContext(String parent, Set<String> setting) {
        MergedType type = schema.types.get(parent);
        for (String candidate : setting) {
            if (candidate.equals(parent)) return true;
            if (type != null && type.interfaces.contains(candidate)) return true;
            MergedType union = schema.types.get(candidate);
            if (union != null && union.kind == Kind.UNION && union.members.contains(parent)) return true;
        }
        return false;
    }

    /** A context's selection on the type setting it, without fragments on object types that type can never be. */
    private SelectionSet contextSelection(String parent, String text) {
        String key = parent + "|" + text;
        if (contextSelections.containsKey(key)) return contextSelections.get(key);
        SelectionSet selection;
        try {
            String trimmed = text.strip();
            selection = trimmed.startsWith("{") ? ((OperationDefinition) Parser.parse(trimmed).getDefinitions().get(0)).getSelectionSet()
                    : FieldSetParser.parse(trimmed);
            MergedType at = schema.types.get(parent);
            List<Selection> kept = new ArrayList<>();
            for (Selection<?> s : selection.getSelections()) {
                if (s instanceof InlineFragment fragment && fragment.getTypeCondition() != null && at != null) {
                    MergedType condition = schema.types.get(fragment.getTypeCondition().getName());
                    if (condition != null && condition.kind == Kind.OBJECT && !graph.supergraphRuntimeTypes(at, false).contains(condition.name)) continue;
                }
                kept.add(s);
            }
            selection = SelectionSet.newSelectionSet(kept).build();
        } catch (RuntimeException e) {
            selection = null; // CONTEXT_INVALID_SELECTION, reported with the subgraph
        }
        contextSelections.put(key, selection);
        return selection;
    }

    /** Apollo's "locally satisfiable key": a @key (resolvable or not) of the type in the subgraph selecting no @external field. */
    private boolean hasLocallySatisfiableKey(Vertex vertex) {
        SubgraphModel subgraph = graph.subgraphs.get(vertex.subgraph());
        TypeModel model = subgraph.types.get(vertex.type());
        if (model == null) return false;
        for (Key key : model.keys) {
            if (!selectsExternal(subgraph, model, FieldSetParser.parse(key.fields()), 0)) return true;
        }
        return false;
    }

    private static final int MAX_DEPTH = 16;

    private static boolean selectsExternal(SubgraphModel subgraph, TypeModel type, SelectionSet set, int depth) {
        if (type == null || depth > MAX_DEPTH) return false;
        for (Selection<?> selection : set.getSelections()) {
            if (selection instanceof InlineFragment fragment) {
                TypeModel on = fragment.getTypeCondition() == null ? type : subgraph.types.get(fragment.getTypeCondition().getName());
                if (selectsExternal(subgraph, on, fragment.getSelectionSet(), depth + 1)) return true;
            } else if (selection instanceof Field selected) {
                FieldModel own = type.fields.get(selected.getName());
                if (own == null) continue;
                if (own.external) return true;
                if (selected.getSelectionSet() != null
                        && selectsExternal(subgraph, subgraph.types.get(QueryGraph.namedType(own.type)), selected.getSelectionSet(), depth + 1)) return true;
            }
        }
        return false;
    }

    /** Apollo's note on an unsatisfiable @requires when a key field of the type is @external in the subgraph. */
    private String externalKeyFieldNote(String subgraph, String type) {
        TypeModel model = graph.subgraphs.get(subgraph).types.get(type);
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

    private record ConditionState(Selection<?> selection, List<List<Path>> options) {}

    /**
     * Whether {@code conditions} can be fetched starting at {@code start}: every selection advanced from the options its
     * parent reached (directly or through jumps), memoised. A condition met again while being resolved is not taken
     * (the exclusions make that rare; the memo's marker makes it certain).
     */
    private boolean resolve(Vertex start, SelectionSet conditions, List<String> excludedDestinations, List<SelectionSet> excludedConditions) {
        List<SelectionSet> excluded = new ArrayList<>(excludedConditions);
        excluded.add(conditions);
        StringBuilder key = new StringBuilder(start.toString()).append('|').append(System.identityHashCode(conditions)).append('|').append(excludedDestinations);
        for (SelectionSet s : excludedConditions) key.append(',').append(System.identityHashCode(s));
        String memoKey = key.toString();
        Boolean known = resolutions.get(memoKey);
        if (known != null) return known;
        resolutions.put(memoKey, false); // a cycle back to this resolution finds it unsatisfied
        if (++resolutionsComputed > MAX_RESOLUTIONS) throw new BudgetExceeded();
        boolean topLevel = start.provided() == null && schema.roots.contains(start.type());
        List<List<Path>> initial = List.of(List.of(new Path(start, null, null, 0, topLevel)));
        Deque<ConditionState> stack = new ArrayDeque<>();
        for (Selection<?> selection : conditions.getSelections()) stack.push(new ConditionState(selection, initial));
        boolean satisfied = true;
        while (!stack.isEmpty() && satisfied) {
            ConditionState state = stack.pop();
            List<List<Path>> next = new ArrayList<>();
            for (List<Path> option : state.options()) {
                List<List<Path>> advanced = advanceSimultaneous(option, state.selection(), excludedDestinations, excluded);
                if (advanced != null) next.addAll(advanced);
                if (next.size() >= MAX_OPTIONS) break;
            }
            if (next.isEmpty()) {
                satisfied = false;
                break;
            }
            SelectionSet sub = state.selection() instanceof Field f ? f.getSelectionSet()
                    : state.selection() instanceof InlineFragment fragment ? fragment.getSelectionSet() : null;
            if (sub != null) {
                for (Selection<?> child : sub.getSelections()) stack.push(new ConditionState(child, next));
            }
        }
        resolutions.put(memoKey, satisfied);
        return satisfied;
    }

    private record OpAdvance(List<List<Path>> options, boolean onlyTypeExploded) {
        static final OpAdvance NONE = new OpAdvance(null, false);
    }

    /** Apollo's advanceSimultaneousPathsWithOperation: every path of the set must advance; the options are their combinations. */
    private List<List<Path>> advanceSimultaneous(List<Path> paths, Selection<?> operation, List<String> excludedDestinations,
                                                 List<SelectionSet> excludedConditions) {
        List<List<List<Path>>> perPath = new ArrayList<>();
        for (Path path : paths) {
            OpAdvance direct = advanceWithOperation(path, operation, excludedDestinations, excludedConditions);
            List<List<Path>> options = direct.options();
            boolean terminal = operation instanceof Field f && isLeafField(path.tail.type(), f.getName());
            if (options != null && (options.isEmpty() || terminal && !direct.onlyTypeExploded() || operation instanceof InlineFragment)) {
                if (!options.isEmpty()) perPath.add(options);
                continue;
            }
            options = options == null ? new ArrayList<>() : new ArrayList<>(options);
            if (operation instanceof Field field) {
                for (Path jumped : indirect(path, excludedDestinations, excludedConditions).paths()) {
                    if (terminal && jumped.lastEdge != null && jumped.lastEdge.kind() == EdgeKind.KEY && jumped.lastEdge.conditions() != null
                            && jumped.lastEdge.conditions().getSelections().stream().anyMatch(s -> s instanceof Field k && k.getName().equals(field.getName()))) {
                        continue; // a key giving the very field asked for is not a way to get it
                    }
                    OpAdvance advanced = advanceWithOperation(jumped, operation, excludedDestinations, excludedConditions);
                    if (advanced.options() != null) options.addAll(advanced.options());
                }
            }
            if (options.isEmpty()) return null;
            perPath.add(options);
        }
        return product(perPath);
    }

    /** Every combination of one option per element (each option a set of simultaneous paths), at most MAX_OPTIONS of them. */
    private static List<List<Path>> product(List<List<List<Path>>> perElement) {
        List<List<Path>> combinations = new ArrayList<>();
        combinations.add(List.of());
        for (List<List<Path>> options : perElement) {
            List<List<Path>> next = new ArrayList<>();
            for (List<Path> prefix : combinations) {
                for (List<Path> option : options) {
                    List<Path> combined = new ArrayList<>(prefix);
                    combined.addAll(option);
                    next.add(combined);
                    if (next.size() >= MAX_OPTIONS) break;
                }
                if (next.size() >= MAX_OPTIONS) break;
            }
            combinations = next;
        }
        return combinations;
    }

    private boolean isLeafField(String type, String field) {
        if (field.equals("__typename")) return true;
        MergedType parent = schema.types.get(type);
        MergedField merged = parent == null ? null : parent.fields.get(field);
        if (merged == null) return true;
        MergedType returned = schema.types.get(merged.type.replaceAll("[\\[\\]!]", ""));
        return returned == null || returned.kind == Kind.SCALAR || returned.kind == Kind.ENUM;
    }

    /** Apollo's advanceWithOperation for validation: a field or a type condition from one path, without jumps. */
    private OpAdvance advanceWithOperation(Path path, Selection<?> operation, List<String> excludedDestinations, List<SelectionSet> excludedConditions) {
        TypeModel tail = graph.typeOf(path.tail);
        if (tail == null) return OpAdvance.NONE;
        if (operation instanceof Field field) {
            String name = field.getName();
            if (name.equals("__typename")) {
                // an @interfaceObject cannot say which implementation an object is
                return tail.kind == Kind.OBJECT && tail.interfaceObject ? OpAdvance.NONE : new OpAdvance(List.of(List.of(path)), false);
            }
            if (tail.kind == Kind.OBJECT || tail.kind == Kind.INTERFACE) {
                Edge edge = fieldEdge(path.tail, name);
                if (edge != null) {
                    Resolution resolution = canSatisfyConditions(path, edge, List.of(), List.of());
                    if (resolution == Resolution.SATISFIED) return new OpAdvance(List.of(List.of(path.add(edge))), false);
                    if (tail.kind == Kind.OBJECT) return OpAdvance.NONE;
                }
                if (tail.kind == Kind.OBJECT) return OpAdvance.NONE;
                // no edge on the interface: every implementation must give the field
                List<List<List<Path>>> perImplementation = new ArrayList<>();
                for (Edge cast : graph.outEdges(path.tail)) {
                    if (cast.kind() != EdgeKind.DOWNCAST) continue;
                    List<List<Path>> options = advanceSimultaneous(List.of(path.add(cast)), operation, excludedDestinations, excludedConditions);
                    if (options == null) return OpAdvance.NONE;
                    perImplementation.add(options);
                }
                return new OpAdvance(perImplementation.isEmpty() ? List.of() : product(perImplementation), true);
            }
            return OpAdvance.NONE;
        }
        if (!(operation instanceof InlineFragment fragment)) return OpAdvance.NONE;
        String condition = fragment.getTypeCondition() == null ? null : fragment.getTypeCondition().getName();
        if (condition == null || condition.equals(path.tail.type())) return new OpAdvance(List.of(List.of(path)), false);
        MergedType cast = schema.types.get(condition);
        if (tail.kind == Kind.OBJECT) {
            if (tail.interfaceObject) {
                for (Edge edge : graph.named(path.tail, condition)) {
                    if (edge.kind() != EdgeKind.INTERFACE_OBJECT_DOWNCAST) continue;
                    return canSatisfyConditions(path, edge, List.of(), List.of()) == Resolution.SATISFIED
                            ? new OpAdvance(List.of(List.of(path.add(edge))), false) : OpAdvance.NONE;
                }
            }
            if (cast != null && cast.kind != Kind.OBJECT && graph.supergraphRuntimeTypes(cast, false).contains(path.tail.type())) {
                return new OpAdvance(List.of(List.of(path)), false);
            }
            return new OpAdvance(List.of(), false);
        }
        if (cast == null) return new OpAdvance(List.of(), false);
        Set<String> wanted = graph.supergraphRuntimeTypes(cast, false);
        List<List<List<Path>>> perImplementation = new ArrayList<>();
        for (Edge edge : graph.outEdges(path.tail)) {
            if (edge.kind() == EdgeKind.DOWNCAST && wanted.contains(edge.name())) perImplementation.add(List.of(List.of(path.add(edge))));
        }
        if (perImplementation.isEmpty()) return new OpAdvance(List.of(), false);
        return new OpAdvance(product(perImplementation), false);
    }

    private Edge fieldEdge(Vertex vertex, String name) {
        for (Edge edge : graph.named(vertex, name)) {
            // a field under a progressive @override cannot serve a condition (Apollo resolves them without labels)
            if (edge.kind() == EdgeKind.FIELD && edge.overrideLabel() == null) return edge;
        }
        return null;
    }

    // ---- the witness query

    /** The query that reaches the API path's end, laid out as graphql-js prints Apollo's witness operation. */
    private String witness(ApiPath api) {
        List<Transition> steps = new ArrayList<>();
        ApiPath root = api;
        for (; root.parent() != null; root = root.parent()) steps.add(0, root.step());
        String operation = switch (root.type()) {
            case "Mutation" -> "mutation ";
            case "Subscription" -> "subscription ";
            default -> "";
        };
        StringBuilder query = new StringBuilder(operation).append("{\n");
        String indent = "  ";
        for (int i = 0; i < steps.size(); i++) {
            Transition step = steps.get(i);
            query.append(indent).append(step.field() ? step.name() + arguments(step.name(), step.definition(), indent) : "... on " + step.name());
            boolean last = i == steps.size() - 1;
            if (!last) {
                query.append(" {\n");
            } else if (!leaf(step.target())) {
                query.append(" {\n").append(indent).append("  ...\n").append(indent).append("}\n");
            } else {
                query.append("\n");
            }
            indent += "  ";
        }
        for (int i = steps.size() - 1; i > 0; i--) {
            indent = indent.substring(2);
            query.append(indent, 2, indent.length()).append("}\n");
        }
        return query.append("}").toString();
    }

    private boolean leaf(String type) {
        MergedType t = schema.types.get(type);
        return t == null || t.kind == Kind.SCALAR || t.kind == Kind.ENUM;
    }

    /** The arguments on one line, or one per line when the line would pass 80 characters (graphql-js's printer). */
    private String arguments(String name, MergedField field, String indent) {
        List<String> arguments = new ArrayList<>();
        for (MergedArgument argument : field.arguments) {
            if (argument.directives().contains("@inaccessible")) continue;
            arguments.add(argument.name() + ": " + witnessValue(argument.type(), 0));
        }
        if (arguments.isEmpty()) return "";
        String line = "(" + String.join(", ", arguments) + ")";
        if (name.length() + line.length() <= 80) return line;
        return "(\n" + indent + "  " + String.join("\n" + indent + "  ", arguments) + "\n" + indent + ")";
    }

    /** Apollo's generateWitnessValue: a value of the type, as graphql-js prints it. */
    private String witnessValue(String type, int depth) {
        if (type.endsWith("!")) return witnessValue(type.substring(0, type.length() - 1), depth);
        if (type.startsWith("[")) return "[]";
        switch (type) {
            case "Int": return "0";
            case "Float": return "3.14";
            case "Boolean": return "true";
            case "String": return "\"A string value\"";
            case "ID": return "\"<any id>\"";
            default: break;
        }
        MergedType named = schema.types.get(type);
        if (named == null || named.kind == Kind.SCALAR) return "\"<some value>\"";
        if (named.kind == Kind.ENUM) {
            return named.values.values().stream().filter(v -> !v.directives().contains("@inaccessible")).map(MergedSchema.MergedValue::name)
                    .findFirst().orElse("null");
        }
        if (depth > MAX_DEPTH) return "{}";
        List<String> fields = new ArrayList<>();
        for (MergedField field : named.fields.values()) {
            if (field.defaultValue != null || !field.type.endsWith("!") || field.directives.contains("@inaccessible")) continue;
            fields.add(field.name + ": " + witnessValue(field.type, depth + 1));
        }
        return "{" + String.join(", ", fields) + "}";
    }
}
