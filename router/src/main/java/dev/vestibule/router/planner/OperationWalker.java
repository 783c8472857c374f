package dev.vestibule.router.planner;

import static dev.vestibule.router.planner.JumpRoutes.indirectRoutes;
import static dev.vestibule.router.planner.JumpRoutes.partOfKey;
import static dev.vestibule.router.planner.JumpRoutes.preferredFirst;
import static dev.vestibule.router.planner.RootFieldChoice.onlyUnderConditions;
import static dev.vestibule.router.planner.RootFieldChoice.selectsNothing;
import static dev.vestibule.router.planner.SubgraphCoverage.arguments;
import static dev.vestibule.router.planner.SubgraphCoverage.childProvided;
import static dev.vestibule.router.planner.SubgraphCoverage.isAbstract;
import static dev.vestibule.router.planner.SubgraphCoverage.isComposite;
import static dev.vestibule.router.planner.SubgraphCoverage.normalize;
import static dev.vestibule.router.planner.SubgraphCoverage.provides;
import static dev.vestibule.router.planner.SubgraphCoverage.typeName;

import dev.vestibule.router.operation.Selection;
import dev.vestibule.router.planner.JumpRoutes.KeyRoute;
import dev.vestibule.router.planner.SubgraphCoverage.Target;
import dev.vestibule.router.supergraph.SubgraphSchema;
import dev.vestibule.router.supergraph.SubgraphSchema.FieldInSubgraph;
import dev.vestibule.router.supergraph.SubgraphSchema.Key;
import dev.vestibule.router.supergraph.Supergraph;
import graphql.language.OperationDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Planning's second stage: walks the normalized operation from its root fields into the fetch graph, the selections
 * each subgraph is asked for along its paths. Each field goes to the fetch of the subgraph it is being read from
 * when that subgraph resolves it (or it was @provided on this path), and otherwise the walk jumps through an entity
 * key to a subgraph that does resolve it: the current fetch selects the key, and a new entity fetch (run after it,
 * for every object at that response path) selects the field. Fields with @requires get their required fields
 * fetched first and sent in the representations. Which subgraph can answer what is asked of {@link SubgraphCoverage}.
 * The walk keeps its own state here and asks the rest of others: which subgraph a root field goes to
 * ({@link RootFieldChoice}), how a shared root field splits among subgraphs ({@link SharedRootSplit}), in which order
 * a jump tries targets and keys ({@link JumpRoutes}), which route a field takes where there are several
 * ({@link RouteTrials}, the walk's route choices and trial walks), how to plan at an @interfaceObject
 * ({@link InterfaceObjectPlanning}), and the arguments of @requires fields in representations ({@link RequiredArguments}).
 */
final class OperationWalker {
    final Supergraph supergraph;
    private final GraphQLSchema schema;
    final SubgraphCoverage coverage;
    final OperationDefinition operation;
    final boolean mutation;
    /** What the walk builds: the fetch groups and what each depends on. */
    final FetchGraph graph = new FetchGraph();
    /** The fields walked down to the current position, for reaching a value type through its entity parent. */
    final Deque<Frame> frames = new ArrayDeque<>();
    /** Indirect key lookups under way, so that two keys that need each other end in an error, not a loop. */
    final Set<String> indirectKeys = new LinkedHashSet<>();
    /**
     * The @skip/@include conditions around the selection being planned, outermost first. A field that goes to
     * another fetch (an entity jump) is wrapped in all of them there: it is wanted only when they all hold.
     */
    final List<List<Selection.Condition>> conditions = new ArrayList<>();
    FetchGroup lastRoot;
    /** Every root field of the operation, for choosing among subgraphs that could serve one. */
    final List<RootField> roots;
    /** Set while planning the selections of an interface without implementations: see planSelections. */
    boolean unreachableDroppable;
    String droppableType;

    private final FetchGraphOptimizer optimizer;
    /** The root fields as written (literal @skip/@include ignored), by response key: see {@link RootFieldChoice#choiceField}. */
    private final Map<String, Selection.Field> asWritten;
    /** What the root stage asks about the operation's root fields, to choose their subgraphs. */
    private final RootFieldChoice rootChoice;
    /** How a shared root field's selection splits among its subgraphs: see {@link #splitSharedRootField}. */
    private final SharedRootSplit split;
    /** The targets and keys a jump tries, in the order it tries them: see {@link #jump}. */
    private final JumpRoutes jumpRoutes;
    /** The route choices of this walk: what it chose, what it may still weigh, what a trial walk forces and prefers. */
    private final RouteTrials trials;

    OperationWalker(Supergraph supergraph, SubgraphCoverage coverage, FetchGraphOptimizer optimizer, OperationDefinition operation,
                    List<RootField> roots, Map<String, Selection.Field> asWritten) {
        this(supergraph, coverage, optimizer, operation, roots, asWritten, RouteTrials.forOperation());
    }

    /** A walk making the choices {@code trials} holds: the operation's own, or a trial walk's ({@link #trialCost}). */
    private OperationWalker(Supergraph supergraph, SubgraphCoverage coverage, FetchGraphOptimizer optimizer, OperationDefinition operation,
                            List<RootField> roots, Map<String, Selection.Field> asWritten, RouteTrials trials) {
        this.supergraph = supergraph;
        this.schema = supergraph.schema();
        this.coverage = coverage;
        this.optimizer = optimizer;
        this.operation = operation;
        this.mutation = operation.getOperation() == OperationDefinition.Operation.MUTATION;
        this.roots = roots;
        this.asWritten = asWritten;
        this.trials = trials;
        this.rootChoice = new RootFieldChoice(supergraph, coverage, roots, asWritten);
        this.split = new SharedRootSplit(supergraph, coverage);
        this.jumpRoutes = new JumpRoutes(supergraph, coverage);
    }

    /** Walks every root field of the operation (on {@code rootType}) into the fetch graph. */
    FetchGraph walk(GraphQLObjectType rootType) {
        for (RootField root : roots) {
            Selection.Field field = root.field();
            if (field.isTypename() || field.isIntrospection()) continue;
            conditions.addAll(root.conditions()); // outermost first
            trials.planning(root, rootType);
            try {
                planRootField(rootType, field);
            } finally {
                conditions.clear();
                trials.planned();
            }
        }
        return graph;
    }

    /**
     * The response path below a field ({@link SubgraphCoverage#childPath}), its type recorded in the graph: which
     * objects a fetch at that path is for, when the passes merge fetches.
     */
    List<String> childPath(List<String> path, Selection.Field field, GraphQLType type) {
        List<String> child = SubgraphCoverage.childPath(path, field, type);
        graph.pathTypes.computeIfAbsent(child, k -> new LinkedHashSet<>()).add(typeName(type));
        return child;
    }

    /** {@code builder} inside the conditions being planned under (itself when there are none). */
    SelectionBuilder underConditions(SelectionBuilder builder) {
        for (List<Selection.Condition> level : conditions) builder = builder.conditional(level);
        return builder;
    }

    void planRootField(GraphQLObjectType rootType, Selection.Field field) {
        List<String> candidates = coverage.resolving(rootType.getName(), field.name());
        if (candidates.isEmpty()) {
            throw new PlanningException("no subgraph resolves " + rootType.getName() + "." + field.name());
        }
        GraphQLFieldDefinition definition = rootType.getFieldDefinition(field.name());
        if (isComposite(definition) && rootChoice.neverAnObject(typeName(definition.getType()), candidates)
                && !rootChoice.writtenForCandidates(field, typeName(definition.getType()), candidates)
                && (selectsNothing(field.selections()) || !conditions.isEmpty() || onlyUnderConditions(field.selections()))) {
            return;
        }
        if (!mutation && candidates.size() > 1 && !field.isLeaf() && splitSharedRootField(rootType, field, definition, candidates)) {
            return;
        }
        FetchGroup group = rootGroup(rootType.getName(), candidates, field);
        // a trial walk of a route plans the field from this subgraph again (mutations keep their order: none)
        if (!mutation) trials.rootSubgraph(group.subgraph);
        planRootFieldIn(group, rootType, field, definition, List.of(), field.selections());
    }

    /** The root field asked in {@code group}'s fetch, under {@code guard}, for {@code selections} (all or a part of its own). */
    private void planRootFieldIn(FetchGroup group, GraphQLObjectType rootType, Selection.Field field, GraphQLFieldDefinition definition,
                                 List<Selection.Condition> guard, List<Selection> selections) {
        SelectionBuilder node = underConditions(group.body()).conditional(guard)
                .field(field.responseKey(), field.name(), field.arguments(), field.directives());
        if (!isComposite(definition)) return;
        FieldInSubgraph inSubgraph = supergraph.subgraph(group.subgraph).field(rootType.getName(), field.name()).orElseThrow();
        planSelections(group, coverage.subgraphType(inSubgraph, definition), selections, node,
                childPath(List.of(), field, definition.getType()), provides(inSubgraph), new LinkedHashSet<>());
    }

    /**
     * A root field several subgraphs resolve, returning a type that is an entity in none of them, cannot be
     * completed through keys: each subgraph is asked for the root field with the part of the selection it
     * resolves, in parallel, and the answers merge. Returns false when one subgraph can take it all.
     */
    boolean splitSharedRootField(GraphQLObjectType rootType, Selection.Field field, GraphQLFieldDefinition definition,
                                 List<String> candidates) {
        String type = typeName(definition.getType());
        if (candidates.stream().anyMatch(c -> coverage.isEntityIn(c, type))) return false;
        FetchGroup primary = rootGroup(rootType.getName(), candidates, field);
        List<Selection> returnable = split.returnable(field.selections(),
                split.objectsEveryCandidateReturns(rootType.getName(), definition, candidates), type, candidates);
        // the primary answers it all, itself or through its @provides (provides-on-interface: b's media provides
        // animals, so b answers ... on Book { animals { __typename } }, which a split sent to a, punished for media)
        if (coverage.selectsAll(primary.subgraph, type, returnable) || coverage.servesLocally(primary.subgraph, type, returnable,
                SubgraphCoverage.provides(supergraph.subgraph(primary.subgraph).field(rootType.getName(), field.name()).orElseThrow()))) {
            return false;
        }
        // The primary is a root fetch asked only under conditions this field is not under, and another subgraph answers
        // it all: the field goes there whole, one fetch asked whenever the field is, where a split would make the
        // primary's fetch always asked as well ({ a1: products @skip(if: $v1) { name { brand } } products { category
        // { id } id } }: category answers products whole; name's fetch stays under $v1, as Apollo's planner plans it).
        if (!askedWheneverThisFieldIs(primary)) {
            for (String whole : candidates) {
                if (whole.equals(primary.subgraph) || !coverage.selectsAll(whole, type, returnable)) continue;
                FetchGroup group = rootGroup(rootType.getName(), List.of(whole), field);
                trials.rootSubgraph(group.subgraph);
                planRootFieldIn(group, rootType, field, definition, List.of(), field.selections());
                return true;
            }
        }
        // a trial walk of a route splits the field again from the same primary subgraph
        trials.rootSubgraph(primary.subgraph);
        // the subgraphs asked for another root field anyway, planned already or later in the document (book before
        // viewer { aMedia } viewer { bMedia } in union-intersection: book { ... on Book { aTitle bTitle } } splits
        // between a and b's root fetches, where a alone needed an entity fetch to b, as Apollo's planner): see
        // SharedRootSplit.parts
        Set<String> askedAnyway = new LinkedHashSet<>();
        for (FetchGroup existing : graph.groups) {
            if (!existing.entityFetch && existing.entityType.equals(rootType.getName()) && candidates.contains(existing.subgraph)) {
                askedAnyway.add(existing.subgraph);
            }
        }
        for (String asked : rootChoice.askedAnyway(rootType.getName(), field)) if (candidates.contains(asked)) askedAnyway.add(asked);
        Map<String, List<Selection>> parts = split.parts(primary.subgraph, candidates, type, returnable, askedAnyway);
        Map<String, List<Selection.Condition>> guards = SharedRootSplit.guards(parts, primary.subgraph);
        for (Map.Entry<String, List<Selection>> part : parts.entrySet()) {
            FetchGroup group = part.getKey().equals(primary.subgraph) ? primary : rootGroup(rootType.getName(), List.of(part.getKey()), field);
            planRootFieldIn(group, rootType, field, definition, guards.get(part.getKey()), part.getValue());
        }
        return true;
    }

    /** Whether a root fetch is asked whenever the field being planned is: its conditions are among the field's. */
    boolean askedWheneverThisFieldIs(FetchGroup group) {
        List<Selection.Condition> current = new ArrayList<>();
        for (List<Selection.Condition> level : conditions) current.addAll(level);
        return current.containsAll(PlanEmitter.conditionsOf(group));
    }

    /**
     * The root fetch, among those {@code joinable} accepts, that the field joins: one asked whenever the field is (its
     * conditions are among the field's) before one asked only under other conditions, which the field would make
     * always asked ({@code ... @skip(if: $v) { book } media} where both subgraphs answer media: media joins aMedia's
     * fetch, and book's is still not asked where $v holds, as Apollo's planner); the first created otherwise.
     */
    FetchGroup existingRootGroup(Predicate<FetchGroup> joinable) {
        FetchGroup first = null;
        for (FetchGroup group : graph.groups) {
            if (group.entityFetch || !joinable.test(group)) continue;
            if (askedWheneverThisFieldIs(group)) return group;
            if (first == null) first = group;
        }
        return first;
    }

    /**
     * Mutations: root fields in document order, one fetch per run of fields to the same subgraph. Queries: a field
     * joins a root fetch already planned when that subgraph can serve it; otherwise the subgraph that resolves most
     * of the field's own selection wins.
     */
    FetchGroup rootGroup(String rootType, List<String> allCandidates, Selection.Field field) {
        if (mutation) {
            if (lastRoot != null && allCandidates.contains(lastRoot.subgraph)) return lastRoot;
            FetchGroup group = graph.newGroup(allCandidates.get(0), rootType, List.of(), false, null, null);
            if (lastRoot != null) group.dependsOn.add(lastRoot);
            lastRoot = group;
            return group;
        }
        String forcedRoot = trials.forcedRoot();
        if (forcedRoot != null && allCandidates.contains(forcedRoot)) {
            for (FetchGroup existing : graph.groups) {
                if (!existing.entityFetch && existing.subgraph.equals(forcedRoot)) return existing;
            }
            return graph.newGroup(forcedRoot, rootType, List.of(), false, null, null);
        }
        Selection.Field chosenBy = rootChoice.choiceField(field);
        // a subgraph that answers the whole selection itself comes first (RootFieldChoice.servingItself)
        GraphQLFieldDefinition definition = ((GraphQLFieldsContainer) schema.getType(rootType)).getFieldDefinition(field.name());
        String type = typeName(definition.getType());
        List<String> candidates = rootChoice.servingSameField(allCandidates, rootType, chosenBy, type);
        List<String> serving = rootChoice.servingItself(candidates, rootType, field, chosenBy, type);
        if (!serving.isEmpty() && serving.size() < candidates.size()) {
            FetchGroup existing = existingRootGroup(group -> serving.contains(group.subgraph));
            return existing != null ? existing : graph.newGroup(rootChoice.mostServing(serving, rootType), rootType, List.of(), false, null, null);
        }
        // Another root field's fetch is joined only where the field can be planned from that subgraph: where a shared
        // node(id:) has its fragment's fields reachable only from the other subgraph (corrupted-supergraph-node-id:
        // chat(id:) beside node(id:) {... on Account {username}}, b has Account's id @external), joining b's fetch
        // failed planning while another root subgraph answers it.
        FetchGroup existing = existingRootGroup(group -> candidates.contains(group.subgraph)
                && (candidates.size() < 2 || trialCost(group.subgraph, (GraphQLObjectType) schema.getType(rootType), field) != null));
        if (existing != null) return existing;
        List<String> cheapest = cheapest(candidates, (GraphQLObjectType) schema.getType(rootType), field);
        return graph.newGroup(rootChoice.best(cheapest, rootType, chosenBy, field), rootType, List.of(), false, null, null);
    }

    /**
     * Of the candidates for a root field, those whose plan for it costs least ({@link PlanCost}): each candidate's
     * plan of the field is walked and optimized on its own, as if the field were the operation's only one. A
     * candidate from which the field cannot be planned is no candidate; if none can, all stay (the walk reports why).
     */
    List<String> cheapest(List<String> candidates, GraphQLObjectType rootType, Selection.Field field) {
        if (candidates.size() < 2) return candidates;
        Map<String, PlanCost> costs = new LinkedHashMap<>();
        boolean unconditional = conditions.isEmpty();
        for (String candidate : candidates) {
            PlanCost cost = trialCost(candidate, rootType, field);
            if (cost == null) continue;
            // a subgraph asked anyway for another root field, whatever the variables, sends this field's root fetch
            // with that one: one request fewer than its trial counts (RootFieldChoice.askedAnyway); one asked only under
            // conditions carries it where they hold: half a request fewer (RootFieldChoice.askedForAnother)
            if (unconditional && rootChoice.askedAnyway(candidate, rootType.getName(), field)) cost = cost.withOneRequestShared();
            else if (unconditional && rootChoice.askedForAnother(candidate, rootType.getName(), field)) cost = cost.withHalfRequestShared();
            costs.put(candidate, cost);
        }
        if (costs.isEmpty()) return candidates;
        PlanCost least = costs.values().stream().min(Comparator.naturalOrder()).orElseThrow();
        return costs.entrySet().stream().filter(e -> e.getValue().compareTo(least) == 0).map(Map.Entry::getKey).toList();
    }

    /** The cost of planning {@code field} from {@code subgraph}, or null when it cannot be planned from there. */
    private PlanCost trialCost(String subgraph, GraphQLObjectType rootType, Selection.Field field) {
        return trialCost(RouteTrials.rootTrial(subgraph), conditions, rootType, field);
    }

    /** The cost of the root field being planned again by a trial walk of a route ({@link RouteTrials.TrialWalk}). */
    private PlanCost routeTrialCost(RouteTrials trial, RootField root, GraphQLObjectType rootType) {
        return trialCost(trial, root.conditions(), rootType, root.field());
    }

    /**
     * After {@link #walk}: a walk of the operation again with the route choices weighed again now that every one is
     * known ({@link RouteTrials#refined}), or null when none changed. Its plan is taken when it costs less.
     */
    OperationWalker refined() {
        Map<String, Integer> choices = trials.refined(this::routeTrialCost);
        return choices == null ? null
                : new OperationWalker(supergraph, coverage, optimizer, operation, roots, asWritten, RouteTrials.seeded(choices));
    }

    /**
     * The cost of a walk that plans one root field again, under {@code underConditions}, making the choices {@code trial}
     * holds, to weigh a choice: it makes none of its own (no trials left of either kind), so trials never nest.
     */
    private PlanCost trialCost(RouteTrials trial, List<List<Selection.Condition>> underConditions, GraphQLObjectType rootType,
                               Selection.Field field) {
        OperationWalker walker = new OperationWalker(supergraph, coverage, optimizer, operation, roots, asWritten, trial);
        walker.conditions.addAll(underConditions);
        return walker.costOf(rootType, field);
    }

    /** The cost of this (trial) walk's plan of the root field, optimized on its own; null when it cannot be planned. */
    private PlanCost costOf(GraphQLObjectType rootType, Selection.Field field) {
        try {
            planRootField(rootType, field);
            optimizer.optimize(graph);
            return PlanCost.of(graph);
        } catch (PlanningException unplannable) {
            return null;
        }
    }

    /**
     * Plans selections read from {@code group}'s subgraph at an object of type {@code typeName}, adding to
     * {@code out}; {@code provided} is what @provides makes available here; the groups that will produce the
     * selected data are added to {@code producers}.
     */
    void planSelections(FetchGroup group, String typeName, List<Selection> selections, SelectionBuilder out,
                        List<String> path, List<Selection> provided, Set<FetchGroup> producers) {
        GraphQLNamedType type = (GraphQLNamedType) schema.getType(typeName);
        if (type instanceof GraphQLInterfaceType iface && coverage.isInterfaceObjectIn(group.subgraph, typeName)
                && InterfaceObjectPlanning.plan(this, group, iface, selections, out, path, provided, producers)) {
            return;
        }
        out.composite();
        if (isAbstract(type) || coverage.isEntityIn(group.subgraph, typeName)) out.typename();
        boolean outer = unreachableDroppable;
        String outerType = droppableType;
        // An interface no object type implements: no answer can ever be of a type that has a field this subgraph
        // lacks, so such a field is not fetched (the object the subgraph returns is no valid answer: the shaper
        // nulls it with an error), as the references do, when the subgraph is asked for something else here;
        // asked for nothing else, planning fails as for any unreachable field.
        unreachableDroppable = type instanceof GraphQLInterfaceType iface && schema.getImplementations(iface).isEmpty()
                && (coverage.answersSomething(group.subgraph, typeName, selections) || (outer && typeName.equals(outerType)));
        droppableType = typeName;
        try {
            for (Selection selection : selections) {
                switch (selection) {
                    case Selection.Field field -> planField(group, type, field, out, path, provided, producers);
                    case Selection.Fragment fragment -> planFragment(group, type, fragment, out, path, provided, producers);
                }
            }
        } finally {
            unreachableDroppable = outer;
            droppableType = outerType;
        }
    }

    void planFragment(FetchGroup group, GraphQLNamedType type, Selection.Fragment fragment, SelectionBuilder out,
                      List<String> path, List<Selection> provided, Set<FetchGroup> producers) {
        if (fragment.isConditional()) {
            // asked under the same @skip/@include in this fetch; the subgraph decides it with the variable
            SelectionBuilder inner = out.conditional(fragment.conditions());
            conditions.add(fragment.conditions());
            try {
                if (fragment.typeCondition() == null || fragment.typeCondition().equals(type.getName())) {
                    for (Selection selection : fragment.selections()) { // the enclosing object already has its __typename
                        switch (selection) {
                            case Selection.Field field -> planField(group, type, field, inner, path, provided, producers);
                            case Selection.Fragment nested -> planFragment(group, type, nested, inner, path, provided, producers);
                        }
                    }
                } else {
                    planFragment(group, type, fragment.withoutConditions(), inner, path, provided, producers);
                }
            } finally {
                conditions.remove(conditions.size() - 1);
            }
            return;
        }
        String condition = fragment.typeCondition();
        SubgraphSchema subgraph = supergraph.subgraph(group.subgraph);
        if (condition == null || condition.equals(type.getName())) {
            planSelections(group, type.getName(), fragment.selections(), out, path, provided, producers);
        } else if (type instanceof GraphQLObjectType object) {
            // On an object the condition either always holds or never does.
            if (coverage.isPossibleType(condition, object.getName())) {
                planSelections(group, type.getName(), fragment.selections(), out, path, provided, producers);
            }
        } else if (schema.getType(condition) instanceof GraphQLNamedType conditionType && isAbstract(conditionType)) {
            // Abstract within abstract: subgraphs may disagree on which types implement what, so ask per object
            // type that both allow (in the supergraph) and that this subgraph can return here.
            for (GraphQLObjectType object : coverage.possibleObjects(conditionType)) {
                if (coverage.isPossibleType(type.getName(), object.getName()) && coverage.possibleIn(subgraph, type, object.getName())
                        && memberOnEveryCandidate(group, type, object.getName())) {
                    planSelections(group, object.getName(), fragment.selections(), out.fragment(object.getName()),
                            path, provided, producers);
                }
            }
        } else if (coverage.possibleIn(subgraph, type, condition) && memberOnEveryCandidate(group, type, condition)) {
            planSelections(group, condition, fragment.selections(), out.fragment(condition), path,
                    provided, producers);
        }
        // Otherwise this subgraph never returns objects of that type here: nothing to fetch for the fragment.
    }

    void planField(FetchGroup group, GraphQLNamedType type, Selection.Field field, SelectionBuilder out,
                   List<String> path, List<Selection> provided, Set<FetchGroup> producers) {
        if (field.isTypename()) {
            out.field(field.responseKey(), "__typename", List.of(), List.of());
            return;
        }
        GraphQLFieldsContainer container = (GraphQLFieldsContainer) type;
        GraphQLFieldDefinition definition = container.getFieldDefinition(field.name());
        if (definition == null) throw new PlanningException(type.getName() + " has no field " + field.name());
        SubgraphSchema subgraph = supergraph.subgraph(group.subgraph);
        Optional<FieldInSubgraph> here = subgraph.field(type.getName(), field.name());
        List<Selection> providedField = coverage.providedField(provided, type.getName(), field.name());
        boolean implementationsResolve = coverage.implementationsResolve(subgraph, type, field.name());
        boolean local = providedField != null
                || (implementationsResolve && here.map(FieldInSubgraph::answersHere).orElse(false));
        if (local && providedField == null && type instanceof GraphQLInterfaceType iface
                && providesOnImplementations(subgraph, iface, field, definition, here)) {
            // ask per implementation: there the field's @provides serves what the interface's field would jump for
            for (GraphQLObjectType implementation : returnedImplementations(subgraph, iface)) {
                planSelections(group, implementation.getName(), List.of(field), out.fragment(implementation.getName()),
                        path, provided, producers);
            }
            return;
        }
        if (local) {
            // Where the subgraph's type for the field differs from the supergraph's (join__field type:), the
            // same response key could meet a different type in a sibling fragment: ask under an internal alias.
            boolean retyped = here.map(f -> !f.type().equals(GraphQLTypeUtil.simplePrint(definition.getType()))).orElse(false);
            String key = retyped ? ResponseKeys.alias(field.responseKey()) : field.responseKey();
            SelectionBuilder node = out.field(key, field.name(), field.arguments(), field.directives());
            producers.add(group);
            if (isComposite(definition)) {
                List<Selection> childProvided = childProvided(providedField, here);
                // The subgraph's own type for the field may be narrower (join__field type: "Book" where the
                // supergraph has a union): its selections must be valid there.
                String childType = here.map(f -> coverage.subgraphType(f, definition)).orElse(typeName(definition.getType()));
                frames.push(new Frame(group, type.getName(), out, path, provided, field));
                try {
                    planSelections(group, childType, field.selections(), node,
                            childPath(path, field, definition.getType()), childProvided, producers);
                } finally {
                    frames.pop();
                }
            }
            return;
        }
        if (type instanceof GraphQLInterfaceType iface && !coverage.isInterfaceObjectIn(group.subgraph, iface.getName())
                && (!here.map(FieldInSubgraph::resolvable).orElse(false) || !implementationsResolve)) {
            // The subgraph has the interface but not this field on it: ask per implementation it can return.
            List<GraphQLObjectType> returned = schema.getImplementations(iface).stream()
                    .filter(o -> subgraph.type(o.getName()).map(t -> t.interfaces().contains(iface.getName())).orElse(false))
                    .toList();
            if (!returned.isEmpty() || here.isPresent()) {
                for (GraphQLObjectType implementation : returned) {
                    planSelections(group, implementation.getName(), List.of(field), out.fragment(implementation.getName()),
                            path, provided, producers);
                }
                return;
            }
            // no implementation to ask through, and the interface lacks the field here: only a jump can reach it
        }
        jump(group, type, field, definition, out, path, provided, producers);
    }

    /**
     * Whether a field of an interface, which this subgraph resolves on the interface, has a @provides on an
     * implementation that the interface's field lacks, and the interface's field cannot serve the selection without a
     * key jump: asked per implementation, the provided fields come with it ({@code product { samePriceProduct { ... on
     * Book { price } } }} where only Book.samePriceProduct provides price), as Apollo's planner does.
     */
    boolean providesOnImplementations(SubgraphSchema subgraph, GraphQLInterfaceType iface, Selection.Field field,
                                      GraphQLFieldDefinition definition, Optional<FieldInSubgraph> here) {
        if (!isComposite(definition) || coverage.isInterfaceObjectIn(subgraph.subgraph().name(), iface.getName())) return false;
        boolean anyProvides = false;
        for (GraphQLObjectType implementation : returnedImplementations(subgraph, iface)) {
            if (subgraph.field(implementation.getName(), field.name()).map(f -> f.provides() != null).orElse(false)) anyProvides = true;
        }
        if (!anyProvides) return false;
        List<Selection> interfaceProvides = here.map(SubgraphCoverage::provides).orElse(null);
        String childType = here.map(f -> coverage.subgraphType(f, definition)).orElse(typeName(definition.getType()));
        return !coverage.servesLocally(subgraph.subgraph().name(), childType, field.selections(), interfaceProvides);
    }

    /** The implementations of {@code iface} that {@code subgraph} can return as it (it declares them implementing it). */
    List<GraphQLObjectType> returnedImplementations(SubgraphSchema subgraph, GraphQLInterfaceType iface) {
        return schema.getImplementations(iface).stream()
                .filter(o -> subgraph.type(o.getName()).map(t -> t.interfaces().contains(iface.getName())).orElse(false))
                .toList();
    }

    /**
     * Reads the field from another subgraph (or this one again, for @requires) through an entity key: first a key
     * the current subgraph can send, else a key whose fields other subgraphs provide first (one more hop).
     */
    void jump(FetchGroup group, GraphQLNamedType type, Selection.Field field, GraphQLFieldDefinition definition,
              SelectionBuilder out, List<String> path, List<Selection> provided, Set<FetchGroup> producers) {
        if (unreachableDroppable || (!conditions.isEmpty() && coverage.implementationLess(type))) return;
        // the same response key asked again here ({ category { id } category { __typename } }) goes where it went
        // before, when that subgraph serves it as well: one fetch asks both, where the second went to another
        String jumpSite = group.id + "|" + path + "|" + type.getName() + "." + field.responseKey();
        List<Target> targets = jumpRoutes.servingFirst(coverage.targets(type, field.name()), field, definition, trials.jumpedBefore(jumpSite));
        boolean parentWeighed = false;
        for (Target target : targets) {
            for (Key key : target.keys()) {
                List<Selection> keySelections = normalize(key.fields());
                if (partOfKey(field, keySelections)) continue;
                if (!coverage.canSelect(group.subgraph, type.getName(), keySelections, provided)) continue;
                // A key sent from here makes one representation per object at this path; going back to a parent
                // (an entity here, or an object whose key for the other subgraph this one can send) and asking the
                // chain down from there can make fewer, below fewer lists, in as many fetches: the plan that costs
                // less is taken, this key on a tie ({ media { animals { ... on Dog { age } } } }: one Book sent to
                // c where b could send each Dog, which provides-on-interface punishes, as Apollo's planner goes).
                if (!parentWeighed) {
                    parentWeighed = true;
                    if (parentRouteWins(group, type, field, path)
                            && jumpFromEntityParent(group, type, field, definition, producers, true)) {
                        return;
                    }
                }
                out.typename();
                planSelections(group, type.getName(), keySelections, out, path, provided, new LinkedHashSet<>());
                connect(group, type, field, definition, target, keySelections, Set.of(), out, path, provided, producers);
                trials.jumped(jumpSite, target.subgraph());
                return;
            }
        }
        // Through the nearest entity parent, the other subgraph answers the chain down to the field in one fetch; a
        // key whose fields come from yet another subgraph first needs two ({ book { animals { ... on Cat { name } } } }
        // where the Cat's id is @external here: Book's animals from the subgraph that has Cat's name, as Apollo's planner).
        // Else a key whose fields other subgraphs bring first. Where there are several such routes, the one whose plan
        // costs least is taken ({@link RouteTrials#cheapestRoute}); otherwise the first that works, in this order.
        List<KeyRoute> routes = indirectRoutes(targets, field);
        String site = group.subgraph + ":" + type.getName() + "." + SelectionPrinter.compact(List.of(field)) + "@" + path;
        Integer chosen = trials.chosen(site);
        String fieldSite = group.subgraph + ":" + type.getName() + "." + field.name() + "@" + path;
        String placeSite = group.subgraph + ":" + type.getName() + "@" + path;
        // a walk seeded with refined choices remembers each route where it takes it, as the walk that chose it did
        if (chosen != null && chosen > 0 && chosen <= routes.size() && trials.replaysRoutes()) {
            trials.tookRoute(fieldSite, placeSite, routes.get(chosen - 1).through());
        }
        ParentRoute parentRoute = chosen == null ? parentRoute(group, type, field) : null;
        if (chosen == null && (routes.size() > 1 || parentRoute != null)) {
            chosen = trials.cheapestRoute(site, routes, entityParentInReach(group, type, field), parentRoute, this::routeTrialCost);
            if (chosen != null && chosen > 0) trials.tookRoute(fieldSite, placeSite, routes.get(chosen - 1).through());
        }
        // Without a choice of its own, the field goes where the trials sent it before at this place ({@code selected {
        // price { price } } ... selected { price { a: price } }}: the second, weighed after the trials ran out, took
        // list's key where the first took price's, one fetch more), else where they sent another field here ({@code
        // first { pid } ... selected { price }}: through the key first went through, one fetch asks both), else (a
        // trial walk) the route under trial.
        Set<String> preferred = chosen == null ? trials.preferredThrough(fieldSite, placeSite) : null;
        if (preferred != null) routes = preferredFirst(routes, preferred);
        if (chosen != null) {
            boolean planned = switch (chosen) {
                case RouteTrials.PARENT_ROUTE -> jumpFromEntityParentThroughRoute(group, type, field, definition, producers);
                case 0 -> jumpFromEntityParent(group, type, field, definition, producers, false);
                default -> jumpThroughRoute(group, type, field, definition, routes.get(chosen - 1), out, path, provided, producers);
            };
            if (planned) {
                return;
            }
            throw new PlanningException("cannot plan " + type.getName() + "." + field.name() + " from subgraph " + group.subgraph
                    + " by the route chosen for it");
        }
        if (jumpFromEntityParent(group, type, field, definition, producers, false)) return;
        for (KeyRoute route : routes) {
            if (jumpThroughRoute(group, type, field, definition, route, out, path, provided, producers)) return;
        }
        throw new PlanningException("cannot plan " + type.getName() + "." + field.name() + " from subgraph "
                + group.subgraph + ": no subgraph that resolves it has a key that " + group.subgraph + " can provide");
    }

    /**
     * Plans the key's fields from the current subgraph, then the jump; false (and nothing of the jump planned) when
     * the key's fields cannot be brought, or the route is already being planned further up (two keys that need each
     * other). A key that holds the field is planned under its own guard, so that the field's key part, asked on its
     * own, can be planned through another route.
     */
    boolean jumpThroughRoute(FetchGroup group, GraphQLNamedType type, Selection.Field field, GraphQLFieldDefinition definition,
                             KeyRoute route, SelectionBuilder out, List<String> path, List<Selection> provided, Set<FetchGroup> producers) {
        String attempt = group.subgraph + ":" + type.getName() + "." + field.name() + "@" + path
                + (route.holdsField() ? SelectionPrinter.compact(List.of(field)) : "");
        if (!indirectKeys.add(attempt)) return false;
        try {
            Set<FetchGroup> keyFrom = new LinkedHashSet<>();
            try {
                out.typename();
                planSelections(group, type.getName(), route.keySelections(), out, path, provided, keyFrom);
            } catch (PlanningException unreachable) {
                return false;
            }
            connect(group, type, field, definition, route.target(), route.keySelections(), keyFrom, out, path, provided, producers);
            return true;
        } finally {
            indirectKeys.remove(attempt);
        }
    }

    /**
     * Whether, where the current subgraph can send a key for the field, going back to a parent instead
     * ({@link #jumpFromEntityParent} with {@code parentKeys}) costs less: option 0 is the parent route, option 1 the key
     * here. Decided once per site by two trial walks, only where the parent is below fewer lists than the field (else
     * the parent cannot send fewer representations); trial walks, and a walk without {@link RouteTrials#PARENT_TRIALS}
     * left, keep the key ({@link RouteTrials#weighParentRoute}).
     */
    boolean parentRouteWins(FetchGroup group, GraphQLNamedType type, Selection.Field field, List<String> path) {
        // the chain asked from a parent carries no @requires (keys-mashup: A.nameInB requires A.name, asked through
        // B's key the requirement was never fetched and b failed)
        if (coverage.targets(type, field.name()).stream().anyMatch(Target::hasRequires)) return false;
        // one decision for every field jumped from this place: weighed one by one, each trial of the parent route
        // sent the other fields by the key still, one fetch more ({ ... on Dog { a3: age age } } went by each Dog's
        // key, which provides-on-interface punishes, where { ... on Dog { age } } goes through the Book; so did
        // ... on Cat { age } ... on Dog { age }, each type weighed alone)
        String site = "parent|" + group.subgraph + "@" + path;
        Integer chosen = trials.chosen(site);
        if (chosen != null) return chosen == 0;
        if (!trials.canWeighParentRoute()) return false;
        List<String> parentPath = parentRouteInReach(group, type, field);
        if (parentPath == null || PlanCost.lists(parentPath) >= PlanCost.lists(path)) return false;
        return trials.weighParentRoute(site, this::routeTrialCost);
    }

    /**
     * The path of the parent {@link #jumpFromEntityParent} could go back to in this fetch for the field (an entity here,
     * or a parent whose objects all have a key this subgraph can send to a subgraph that resolves the chain down to
     * it), or null when there is none.
     */
    List<String> parentRouteInReach(FetchGroup group, GraphQLNamedType type, Selection.Field field) {
        List<Frame> chain = new ArrayList<>();
        for (Frame frame : frames) {
            if (frame.group() != group) return null;
            chain.add(0, frame);
            if (coverage.isEntityIn(group.subgraph, frame.typeName())) return frame.path();
            if (parentKeys(group, frame, chain, type, field) != null) return frame.path();
        }
        return null;
    }

    /** An object the parent frame can be, the subgraph to ask for the chain below it, and the key sent there. */
    record ParentKey(String object, Target target, List<Selection> keySelections) {}

    /**
     * For a parent frame that is no entity in the current subgraph: for each object it can be here, a subgraph that
     * resolves the chain from that object down to the field, with a key the current subgraph can select on it; null
     * when some object has none (the route would leave its objects without the field).
     */
    List<ParentKey> parentKeys(FetchGroup group, Frame frame, List<Frame> chain, GraphQLNamedType type, Selection.Field field) {
        GraphQLNamedType frameType = (GraphQLNamedType) schema.getType(frame.typeName());
        SubgraphSchema here = supergraph.subgraph(group.subgraph);
        List<String> objects = frameType instanceof GraphQLObjectType ? List.of(frameType.getName())
                : coverage.objectTypes(frameType.getName()).stream().filter(o -> coverage.possibleIn(here, frameType, o)).toList();
        if (objects.isEmpty()) return null;
        List<ParentKey> found = new ArrayList<>();
        for (String object : objects) {
            ParentKey match = null;
            GraphQLNamedType objectType = (GraphQLNamedType) schema.getType(object);
            for (Target target : coverage.targets(objectType, chain.get(0).via().name())) {
                if (!target.type().equals(object) || target.hasRequires()) continue;
                SubgraphSchema there = supergraph.subgraph(target.subgraph());
                if (target.subgraph().equals(group.subgraph) || !there.resolves(object, chain.get(0).via().name())
                        || !resolvesChain(there, chain.subList(1, chain.size())) || !there.resolves(type.getName(), field.name())) continue;
                for (Key key : target.keys()) {
                    List<Selection> keySelections = normalize(key.fields());
                    if (coverage.canSelect(group.subgraph, object, keySelections, frame.provided())) {
                        match = new ParentKey(object, target, keySelections);
                        break;
                    }
                }
                if (match != null) break;
            }
            if (match == null) return null;
            found.add(match);
        }
        return found;
    }

    /**
     * A field of a value type (no key) that another subgraph resolves: go back up to the nearest entity in this
     * fetch and ask the other subgraph for the whole chain of fields from that entity down to the field.
     */
    boolean jumpFromEntityParent(FetchGroup group, GraphQLNamedType type, Selection.Field field,
                                 GraphQLFieldDefinition definition, Set<FetchGroup> producers, boolean parentKeys) {
        List<Frame> chain = new ArrayList<>();
        for (Frame frame : frames) {
            if (frame.group() != group) return false;
            chain.add(0, frame);
            if (!coverage.isEntityIn(group.subgraph, frame.typeName())) {
                List<ParentKey> keys = parentKeys ? parentKeys(group, frame, chain, type, field) : null;
                if (keys == null) continue;
                for (ParentKey key : keys) jumpByParentKey(group, frame, chain, key, type, field, definition, producers);
                return true;
            }
            GraphQLNamedType anchor = (GraphQLNamedType) schema.getType(frame.typeName());
            for (Target target : coverage.targets(anchor, chain.get(0).via().name())) {
                if (!resolvesChain(target.subgraph(), chain, type.getName(), field.name())) continue;
                for (Key key : target.keys()) {
                    List<Selection> keySelections = normalize(key.fields());
                    boolean selectable = coverage.canSelect(group.subgraph, anchor.getName(), keySelections, frame.provided());
                    if (!selectable && !carriedInRepresentations(group, frame, anchor.getName(), keySelections)) continue;
                    frame.out().typename();
                    if (selectable) addAll(frame.out(), keySelections);
                    // A key this fetch's representations carry came from what this fetch waits for: the jump waits for
                    // that too, not for this fetch, and is one fetch with a direct jump there from the same parent.
                    FetchGroup keyFrom = selectable ? group : group.parent;
                    FetchGroup child = graph.entityGroup(target, frame.path(), keyFrom);
                    if (!selectable) child.dependsOn.addAll(group.dependsOn);
                    askChain(child, anchor.getName(), keySelections, frame, chain, type, field, definition, producers);
                    return true;
                }
            }
            return false;
        }
        return false;
    }

    /**
     * Asks {@code child}, an entity fetch for the objects at the entity parent's frame sent with the key, for the
     * chain of fields from there down to the field, and the field's selection.
     */
    private void askChain(FetchGroup child, String anchor, List<Selection> keySelections, Frame frame, List<Frame> chain,
                          GraphQLNamedType type, Selection.Field field, GraphQLFieldDefinition definition, Set<FetchGroup> producers) {
        SelectionBuilder requires = child.requires.fragment(anchor);
        requires.typename();
        addAll(requires, keySelections);
        addKeys(child, anchor, keySelections);
        SelectionBuilder cursor = underConditions(child.body());
        List<String> path = frame.path();
        String reached = anchor;
        for (Frame step : chain) {
            Selection.Field via = step.via();
            cursor = cursor.field(via.responseKey(), via.name(), via.arguments(), via.directives());
            cursor.typename();
            GraphQLFieldDefinition viaDefinition = ((GraphQLFieldsContainer) schema.getType(step.typeName()))
                    .getFieldDefinition(via.name());
            path = childPath(path, via, viaDefinition.getType());
            reached = typeName(viaDefinition.getType());
        }
        // the field of one implementation or member, under the chain's abstract type: only on that type
        if (!reached.equals(type.getName())) cursor = cursor.fragment(type.getName());
        SelectionBuilder node = cursor.field(field.responseKey(), field.name(), field.arguments(), field.directives());
        producers.add(child);
        if (isComposite(definition)) {
            planSelections(child, typeName(definition.getType()), field.selections(), node,
                    childPath(path, field, definition.getType()), null, producers);
        }
    }

    /**
     * Where the field has no key this subgraph can send: the nearest entity parent in this fetch, a subgraph that
     * answers the chain from it down to the field, and that subgraph's key for the parent, which this subgraph cannot
     * select alone (one it can is {@link #jumpFromEntityParent}'s), all fields others bring first. Apollo's planner
     * goes so ({@code topProducts { products { price } }}: price's ProductList key, its selected { id } from list and
     * pid from link, where Product's own key in price needs the same pid and category: one fetch to price with
     * selected { price }, where the walk sent one per route).
     */
    record ParentRoute(int depth, Target target, List<Selection> keySelections) {
        /** As {@link KeyRoute#through}: the subgraph and key, so that other fields go the same way on its trial. */
        String through() {
            return target.subgraph() + "|" + target.type() + "|" + SelectionPrinter.compact(keySelections);
        }
    }

    /** The route {@link ParentRoute} describes for the field, or null when there is none. */
    ParentRoute parentRoute(FetchGroup group, GraphQLNamedType type, Selection.Field field) {
        List<Frame> chain = new ArrayList<>();
        for (Frame frame : frames) {
            if (frame.group() != group) return null;
            chain.add(0, frame);
            if (!coverage.isEntityIn(group.subgraph, frame.typeName())) continue;
            if (!(schema.getType(frame.typeName()) instanceof GraphQLObjectType anchor)) return null;
            for (Target target : coverage.targets(anchor, chain.get(0).via().name())) {
                if (target.hasRequires() || target.subgraph().equals(group.subgraph) || !target.type().equals(anchor.getName())
                        || !resolvesChain(target.subgraph(), chain, type.getName(), field.name())) continue;
                for (Key key : target.keys()) {
                    List<Selection> keySelections = normalize(key.fields());
                    if (!coverage.canSelect(group.subgraph, anchor.getName(), keySelections, frame.provided())) {
                        return new ParentRoute(chain.size(), target, keySelections);
                    }
                }
            }
            return null;
        }
        return null;
    }

    /**
     * Takes the {@link ParentRoute}: the key's fields planned at the parent like any (others bring what this subgraph
     * lacks), then one fetch of the chain down to the field; false when the key cannot be brought so.
     */
    boolean jumpFromEntityParentThroughRoute(FetchGroup group, GraphQLNamedType type, Selection.Field field,
                                             GraphQLFieldDefinition definition, Set<FetchGroup> producers) {
        ParentRoute route = parentRoute(group, type, field);
        if (route == null) return false;
        List<Frame> chain = new ArrayList<>();
        Frame frame = null;
        for (Frame step : frames) {
            chain.add(0, step);
            if (chain.size() == route.depth()) {
                frame = step;
                break;
            }
        }
        String attempt = "parent|" + group.subgraph + ":" + frame.typeName() + "@" + frame.path() + route.through();
        if (!indirectKeys.add(attempt)) return false;
        // the key is planned where the parent's own fields were: the frames below it are not its parents
        Deque<Frame> below = new ArrayDeque<>();
        for (int i = 0; i < route.depth(); i++) below.push(frames.pop());
        Set<FetchGroup> keyFrom = new LinkedHashSet<>();
        try {
            frame.out().typename();
            planSelections(group, frame.typeName(), route.keySelections(), frame.out(), frame.path(), frame.provided(), keyFrom);
        } catch (PlanningException unreachable) {
            return false;
        } finally {
            while (!below.isEmpty()) frames.push(below.pop());
            indirectKeys.remove(attempt);
        }
        FetchGroup child = graph.entityGroup(route.target(), frame.path(), group);
        child.dependsOn.addAll(keyFrom);
        askChain(child, frame.typeName(), route.keySelections(), frame, chain, type, field, definition, producers);
        return true;
    }

    /**
     * The jump through a parent that is no entity here: the current subgraph sends the object's key for the other
     * subgraph ({@code media { ... on Book { __typename id } }}), which answers the chain down to the field.
     */
    void jumpByParentKey(FetchGroup group, Frame frame, List<Frame> chain, ParentKey key, GraphQLNamedType type,
                         Selection.Field field, GraphQLFieldDefinition definition, Set<FetchGroup> producers) {
        SelectionBuilder at = frame.typeName().equals(key.object()) ? frame.out() : frame.out().fragment(key.object());
        at.typename();
        addAll(at, key.keySelections());
        FetchGroup child = graph.entityGroup(key.target(), frame.path(), group);
        SelectionBuilder requires = child.requires.fragment(key.object());
        requires.typename();
        addAll(requires, key.keySelections());
        addKeys(child, key.object(), key.keySelections());
        SelectionBuilder cursor = underConditions(child.body());
        List<String> path = frame.path();
        String reached = key.object();
        String parentType = key.object();
        for (Frame step : chain) {
            Selection.Field via = step.via();
            cursor = cursor.field(via.responseKey(), via.name(), via.arguments(), via.directives());
            cursor.typename();
            GraphQLFieldDefinition viaDefinition = ((GraphQLFieldsContainer) schema.getType(parentType)).getFieldDefinition(via.name());
            path = childPath(path, via, viaDefinition.getType());
            reached = typeName(viaDefinition.getType());
            parentType = step == chain.get(chain.size() - 1) ? reached : chain.get(chain.indexOf(step) + 1).typeName();
        }
        if (!reached.equals(type.getName())) cursor = cursor.fragment(type.getName());
        SelectionBuilder node = cursor.field(field.responseKey(), field.name(), field.arguments(), field.directives());
        producers.add(child);
        if (isComposite(definition)) {
            planSelections(child, typeName(definition.getType()), field.selections(), node,
                    childPath(path, field, definition.getType()), null, producers);
        }
    }

    /**
     * Whether the key is already in the data at the frame: the frame is the entity this entity fetch is for, and
     * its representations carry the key's fields (fetched before, from another subgraph), even if this subgraph
     * cannot answer them (@external there).
     */
    boolean carriedInRepresentations(FetchGroup group, Frame frame, String typeName, List<Selection> keySelections) {
        if (!group.entityFetch || !frame.path().equals(group.path)) return false;
        Set<String> carried = new HashSet<>();
        for (Selection selection : group.keys.freeze()) {
            if (selection instanceof Selection.Fragment f && typeName.equals(f.typeCondition())) {
                for (Selection inner : f.selections()) if (inner instanceof Selection.Field field && field.isLeaf()) carried.add(field.name());
            }
        }
        return keySelections.stream().allMatch(k -> k instanceof Selection.Field f && f.isLeaf() && carried.contains(f.name()));
    }

    /**
     * Whether {@link #jumpFromEntityParent} (without parent keys) can take the field: an entity parent in this fetch,
     * a subgraph that answers the chain from it, and a key of it this fetch can send. When not, weighing that option
     * would only walk the root field again to find it fails, a trial that later fields then lack (complex-entity-call's
     * products { price } found only an entity parent and was left unweighed).
     */
    boolean entityParentInReach(FetchGroup group, GraphQLNamedType type, Selection.Field field) {
        List<Frame> chain = new ArrayList<>();
        for (Frame frame : frames) {
            if (frame.group() != group) return false;
            chain.add(0, frame);
            if (!coverage.isEntityIn(group.subgraph, frame.typeName())) continue;
            GraphQLNamedType anchor = (GraphQLNamedType) schema.getType(frame.typeName());
            for (Target target : coverage.targets(anchor, chain.get(0).via().name())) {
                if (!resolvesChain(target.subgraph(), chain, type.getName(), field.name())) continue;
                for (Key key : target.keys()) {
                    List<Selection> keySelections = normalize(key.fields());
                    if (coverage.canSelect(group.subgraph, anchor.getName(), keySelections, frame.provided())
                            || carriedInRepresentations(group, frame, anchor.getName(), keySelections)) return true;
                }
            }
            return false;
        }
        return false;
    }

    /** Whether a subgraph resolves every field of the chain and then typeName.fieldName. */
    boolean resolvesChain(String subgraphName, List<Frame> chain, String typeName, String fieldName) {
        SubgraphSchema subgraph = supergraph.subgraph(subgraphName);
        return resolvesChain(subgraph, chain) && subgraph.resolves(typeName, fieldName);
    }

    /** Whether a subgraph resolves every field of the chain. */
    boolean resolvesChain(SubgraphSchema subgraph, List<Frame> chain) {
        for (Frame step : chain) {
            if (!subgraph.resolves(step.typeName(), step.via().name())) return false;
        }
        return true;
    }

    /** The entity fetch that reads the field through the key, after the groups that bring the key and @requires. */
    void connect(FetchGroup group, GraphQLNamedType type, Selection.Field field, GraphQLFieldDefinition definition,
                 Target target, List<Selection> keySelections, Set<FetchGroup> keyFrom, SelectionBuilder out,
                 List<String> path, List<Selection> provided, Set<FetchGroup> producers) {
        FieldInSubgraph targetField = supergraph.subgraph(target.subgraph()).field(target.type(), field.name()).orElseThrow();
        List<Selection> required = targetField.requires() == null ? List.of()
                : RequiredArguments.withArgumentAliases(normalize(targetField.requires()));
        // A representation carries each field once: fields needing the same required field with other
        // arguments go to another fetch of the same subgraph.
        FetchGroup child = graph.entityGroup(target, path, group, "");
        for (int variant = 1; RequiredArguments.conflicts(child, required); variant++) child = graph.entityGroup(target, path, group, "#" + variant);
        RequiredArguments.record(child, required);
        child.dependsOn.addAll(keyFrom);
        SelectionBuilder requires = child.requires.fragment(type.getName());
        requires.typename();
        addAll(requires, keySelections);
        addKeys(child, type.getName(), keySelections);
        if (targetField.requires() != null) {
            Set<FetchGroup> requiredFrom = new LinkedHashSet<>();
            graph.notReusable.add(child); // what the child needs cannot come from the child itself
            try {
                planSelections(group, type.getName(), required, out, path, provided, requiredFrom);
            } finally {
                graph.notReusable.remove(child);
            }
            child.dependsOn.addAll(requiredFrom);
            addAll(requires, required);
        }
        SelectionBuilder entity = underConditions(child.body());
        SelectionBuilder node = entity.field(field.responseKey(), field.name(), field.arguments(), field.directives());
        producers.add(child);
        if (isComposite(definition)) {
            // the entity this fetch is for is a parent to go back to, should a value-type field below need it
            frames.push(new Frame(child, type.getName(), entity, path, null, field));
            try {
                planSelections(child, coverage.subgraphType(targetField, definition), field.selections(), node,
                        childPath(path, field, definition.getType()), provides(targetField), producers);
            } finally {
                frames.pop();
            }
        }
    }

    /**
     * Whether a union member may be asked for here. A union reached from an entity through fields that other
     * subgraphs resolve too (shareable, the entity keyed there) could have been served by any of them, and each
     * may know other members: only the members all of them share are asked for, so that the answer does not
     * depend on which subgraph the planner happened to pick. The other members' fields are answered null.
     * Where a field forced the path into one subgraph (a jump to a field only it resolves), its members count.
     */
    boolean memberOnEveryCandidate(FetchGroup group, GraphQLNamedType parentType, String member) {
        if (!(parentType instanceof GraphQLUnionType union)) return true;
        List<Frame> chain = new ArrayList<>();
        for (Frame frame : frames) {
            if (frame.group() != group) return true;
            chain.add(0, frame);
            if (!coverage.isEntityIn(group.subgraph, frame.typeName())) continue;
            for (var other : supergraph.subgraphs()) {
                SubgraphSchema candidate = supergraph.subgraph(other.name());
                if (other.name().equals(group.subgraph)) continue;
                boolean keyed = candidate.type(frame.typeName()).map(t -> !t.resolvableKeys().isEmpty()).orElse(false);
                if (!keyed || !resolvesChain(candidate, chain)) continue;
                if (!coverage.possibleIn(candidate, union, member)) return false;
            }
            return true;
        }
        return true;
    }

    /** A position on the way down: the type and builder where {@code via} was selected. */
    private record Frame(FetchGroup group, String typeName, SelectionBuilder out, List<String> path,
                         List<Selection> provided, Selection.Field via) {}

    static void addKeys(FetchGroup child, String type, List<Selection> keySelections) {
        SelectionBuilder keys = child.keys.fragment(type);
        keys.typename();
        addAll(keys, keySelections);
    }

    static void addAll(SelectionBuilder out, List<Selection> selections) {
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f -> addAll(out.field(f.responseKey(), f.name(), f.arguments(), f.directives()), f.selections());
                case Selection.Fragment f -> addAll(out.fragment(f.typeCondition()), f.selections());
            }
        }
    }
}
