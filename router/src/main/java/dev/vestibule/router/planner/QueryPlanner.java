package dev.vestibule.router.planner;

import dev.vestibule.router.operation.AccessFilter;
import dev.vestibule.router.operation.Caller;
import dev.vestibule.router.operation.PreparedOperation;
import dev.vestibule.router.operation.Selection;
import dev.vestibule.router.operation.SelectionNormalizer;
import dev.vestibule.router.supergraph.FieldSet;
import dev.vestibule.router.supergraph.SubgraphSchema;
import dev.vestibule.router.supergraph.SubgraphSchema.FieldInSubgraph;
import dev.vestibule.router.supergraph.SubgraphSchema.Key;
import dev.vestibule.router.supergraph.SubgraphSchema.TypeInSubgraph;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.TypeRelations;
import graphql.language.AstPrinter;
import graphql.language.OperationDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plans an operation into subgraph fetches. Walks the normalized selections from the root; each field goes to the
 * fetch of the subgraph it is being read from when that subgraph resolves it (or it was @provided on this path),
 * and otherwise the planner jumps through an entity key to a subgraph that does resolve it: the current fetch
 * selects the key, and a new entity fetch (run after it, for every object at that response path) selects the field.
 * Fields with @requires get their required fields fetched first and sent in the representations. Fetches that
 * depend on nothing else run in parallel; the rest run in dependency order.
 */
public final class QueryPlanner {
    private final Supergraph supergraph;
    private final GraphQLSchema schema;
    private final TypeRelations relations;

    public QueryPlanner(Supergraph supergraph) {
        this.supergraph = supergraph;
        this.schema = supergraph.schema();
        this.relations = new TypeRelations(schema);
    }

    public QueryPlan plan(PreparedOperation operation) {
        List<Selection> selections = new SelectionNormalizer(operation.fragments())
                .normalize(operation.operation().getSelectionSet());
        return plan(operation.operation(), selections);
    }

    /** A plan of what {@code caller} may see; the fields it may not are left out and listed in the plan. */
    public QueryPlan plan(PreparedOperation operation, AccessFilter access, Caller caller) {
        List<Selection> selections = new SelectionNormalizer(operation.fragments())
                .normalize(operation.operation().getSelectionSet());
        if (access.idle()) return plan(operation.operation(), selections);
        boolean mutation = operation.operation().getOperation() == OperationDefinition.Operation.MUTATION;
        String rootType = (mutation ? schema.getMutationType() : schema.getQueryType()).getName();
        var filtered = access.filter(selections, rootType, caller);
        QueryPlan planned = plan(operation.operation(), filtered.allowed());
        return new QueryPlan(planned.root(), selections, planned.rootType(), planned.fetchCount(), filtered.denied());
    }

    QueryPlan plan(OperationDefinition operation, List<Selection> selections) {
        boolean mutation = operation.getOperation() == OperationDefinition.Operation.MUTATION;
        GraphQLObjectType rootType = mutation ? schema.getMutationType() : schema.getQueryType();
        Planning planning = new Planning(operation, mutation);
        planning.roots = mergedByResponseKey(rootFields(selections, List.of()));
        for (RootField root : planning.roots) {
            Selection.Field field = root.field();
            if (field.isTypename() || field.isIntrospection()) continue;
            planning.conditions.addAll(root.conditions()); // outermost first
            try {
                planning.planRootField(rootType, field);
            } finally {
                planning.conditions.clear();
            }
        }
        PlanNode root = planning.build();
        return new QueryPlan(root, selections, rootType.getName(), planning.groups.size());
    }

    /** A root field and the @skip/@include conditions of the fragments around it, outermost first. */
    private record RootField(Selection.Field field, List<List<Selection.Condition>> conditions) {}

    /**
     * Root fields that share a response key (and the conditions around them) are one field to the client: their
     * selections are merged before planning, so that the subgraph chosen for the field sees all of it (planned one by
     * one, {@code {a {x}} {a {y}}} could send {@code x} and {@code y} to different subgraphs, of which one may not
     * be asked for this field at all).
     */
    private static List<RootField> mergedByResponseKey(List<RootField> fields) {
        Map<String, Integer> seen = new HashMap<>();
        List<RootField> merged = new ArrayList<>(fields.size());
        for (RootField root : fields) {
            String key = root.field().responseKey() + "|" + root.conditions();
            Integer at = seen.get(key);
            if (at == null || root.field().isLeaf()) {
                seen.putIfAbsent(key, merged.size());
                merged.add(root);
                continue;
            }
            RootField first = merged.get(at);
            List<Selection> selections = new ArrayList<>(first.field().selections());
            selections.addAll(root.field().selections());
            Selection.Field f = first.field();
            merged.set(at, new RootField(new Selection.Field(f.responseKey(), f.name(), f.arguments(), f.directives(), selections),
                    first.conditions()));
        }
        return withConditionalSelectionsInside(merged);
    }

    /**
     * A root field asked without conditions and, under the same response key, under conditions on variables is one
     * field whenever those hold: the conditional one's selections go inside the unconditional one, under its
     * conditions, so that the subgraph chosen for the field sees all of it ({@code media @include(if: $v) {id}}
     * planned apart went to a subgraph that serves {@code id} but must not be asked for {@code media}, while the
     * references ask the subgraph the other {@code media} needs).
     */
    private static List<RootField> withConditionalSelectionsInside(List<RootField> fields) {
        Map<String, Integer> unconditional = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            RootField root = fields.get(i);
            if (root.conditions().isEmpty() && !root.field().isLeaf()) unconditional.putIfAbsent(root.field().responseKey(), i);
        }
        List<RootField> merged = new ArrayList<>(fields);
        boolean[] moved = new boolean[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            RootField root = fields.get(i);
            Integer at = unconditional.get(root.field().responseKey());
            if (at == null || root.conditions().isEmpty() || root.field().isLeaf()) continue;
            List<Selection> inside = root.field().selections();
            for (int level = root.conditions().size() - 1; level >= 0; level--) {
                inside = List.of(new Selection.Fragment(null, inside, root.conditions().get(level)));
            }
            Selection.Field f = merged.get(at).field();
            List<Selection> selections = new ArrayList<>(f.selections());
            selections.addAll(inside);
            merged.set(at, new RootField(new Selection.Field(f.responseKey(), f.name(), f.arguments(), f.directives(), selections), List.of()));
            moved[i] = true;
        }
        List<RootField> out = new ArrayList<>(merged.size());
        for (int i = 0; i < merged.size(); i++) if (!moved[i]) out.add(merged.get(i));
        return out;
    }

    /** Root fields in document order, through fragments on the root type. */
    private static List<RootField> rootFields(List<Selection> selections, List<List<Selection.Condition>> around) {
        List<RootField> fields = new ArrayList<>();
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f -> fields.add(new RootField(f, around));
                case Selection.Fragment f -> {
                    List<List<Selection.Condition>> inner = around;
                    if (f.isConditional()) {
                        inner = new ArrayList<>(around);
                        inner.add(f.conditions());
                    }
                    fields.addAll(rootFields(f.selections(), inner));
                }
            }
        }
        return fields;
    }

    /** The state of planning one operation. */
    private final class Planning {
        final OperationDefinition operation;
        final boolean mutation;
        final List<FetchGroup> groups = new ArrayList<>();
        final Map<String, FetchGroup> entityGroups = new HashMap<>();
        /** Groups that must not take more work while their own @requires are planned (that would be a cycle). */
        final Set<FetchGroup> notReusable = new LinkedHashSet<>();
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
        List<RootField> roots = List.of();
        /** Set while planning the selections of an interface without implementations: see planSelections. */
        boolean unreachableDroppable;
        String droppableType;

        /** {@code builder} inside the conditions being planned under (itself when there are none). */
        SelectionBuilder underConditions(SelectionBuilder builder) {
            for (List<Selection.Condition> level : conditions) builder = builder.conditional(level);
            return builder;
        }

        Planning(OperationDefinition operation, boolean mutation) {
            this.operation = operation;
            this.mutation = mutation;
        }

        void planRootField(GraphQLObjectType rootType, Selection.Field field) {
            List<String> candidates = supergraph.subgraphs().stream().map(s -> s.name())
                    .filter(s -> supergraph.subgraph(s).resolves(rootType.getName(), field.name())).toList();
            if (candidates.isEmpty()) {
                throw new PlanningException("no subgraph resolves " + rootType.getName() + "." + field.name());
            }
            GraphQLFieldDefinition definition = rootType.getFieldDefinition(field.name());
            if (!mutation && candidates.size() > 1 && !field.isLeaf() && splitSharedRootField(rootType, field, definition, candidates)) {
                return;
            }
            FetchGroup group = rootGroup(rootType.getName(), candidates, field);
            SelectionBuilder node = underConditions(group.body()).field(field.responseKey(), field.name(), field.arguments(), field.directives());
            if (isComposite(definition)) {
                FieldInSubgraph inSubgraph = supergraph.subgraph(group.subgraph).field(rootType.getName(), field.name()).orElseThrow();
                planSelections(group, subgraphType(inSubgraph, definition), field.selections(), node,
                        childPath(List.of(), field, definition.getType()), provides(inSubgraph), new LinkedHashSet<>());
            }
        }

        /**
         * A root field several subgraphs resolve, returning a type that is an entity in none of them, cannot be
         * completed through keys: each subgraph is asked for the root field with the part of the selection it
         * resolves, in parallel, and the answers merge. Returns false when one subgraph can take it all.
         */
        boolean splitSharedRootField(GraphQLObjectType rootType, Selection.Field field, GraphQLFieldDefinition definition,
                                     List<String> candidates) {
            String type = typeName(definition.getType());
            if (candidates.stream().anyMatch(c -> isEntityIn(c, type))) return false;
            FetchGroup primary = rootGroup(rootType.getName(), candidates, field);
            if (selectsAll(primary.subgraph, type, field.selections())) return false;
            Map<String, List<Selection>> parts = new LinkedHashMap<>();
            partition(primary.subgraph, candidates, type, field.selections(), parts);
            for (Map.Entry<String, List<Selection>> part : parts.entrySet()) {
                FetchGroup group = part.getKey().equals(primary.subgraph) ? primary : rootGroup(rootType.getName(), List.of(part.getKey()), field);
                SelectionBuilder node = underConditions(group.body()).field(field.responseKey(), field.name(), field.arguments(), field.directives());
                FieldInSubgraph inSubgraph = supergraph.subgraph(group.subgraph).field(rootType.getName(), field.name()).orElseThrow();
                planSelections(group, subgraphType(inSubgraph, definition), part.getValue(), node, childPath(List.of(), field, definition.getType()),
                        provides(inSubgraph), new LinkedHashSet<>());
            }
            return true;
        }

        /**
         * Splits {@code selections} on {@code type} (a type that is an entity in none of {@code candidates}) among the
         * subgraphs that can answer each part: a selection one subgraph answers whole goes to it (the primary first);
         * a fragment or a field whose parts only several subgraphs answer together is split, each subgraph getting
         * the fragment or field around its own part (the answers merge on the same path).
         */
        void partition(String primary, List<String> candidates, String type, List<Selection> selections,
                       Map<String, List<Selection>> parts) {
            for (Selection child : selections) {
                String owner = selectsAll(primary, type, List.of(child)) ? primary
                        : candidates.stream().filter(c -> selectsAll(c, type, List.of(child))).findFirst().orElse(null);
                if (owner != null) {
                    parts.computeIfAbsent(owner, k -> new ArrayList<>()).add(child);
                    continue;
                }
                Map<String, List<Selection>> inner = new LinkedHashMap<>();
                switch (child) {
                    case Selection.Fragment fragment when !isEntityInAny(candidates, fragmentType(type, fragment)) -> {
                        partition(primary, candidates, fragmentType(type, fragment), fragment.selections(), inner);
                        inner.forEach((subgraph, part) -> parts.computeIfAbsent(subgraph, k -> new ArrayList<>())
                                .add(fragment.withSelections(part)));
                    }
                    case Selection.Field f when !f.isLeaf() && !isEntityInAny(candidates, childTypeName(type, f)) -> {
                        List<String> resolving = candidates.stream().filter(c -> supergraph.subgraph(c).field(type, f.name())
                                .map(FieldInSubgraph::answersHere).orElse(false)).toList();
                        if (resolving.isEmpty()) {
                            parts.computeIfAbsent(primary, k -> new ArrayList<>()).add(child);
                            continue;
                        }
                        String first = resolving.contains(primary) ? primary : resolving.get(0);
                        partition(first, resolving, childTypeName(type, f), f.selections(), inner);
                        inner.forEach((subgraph, part) -> parts.computeIfAbsent(subgraph, k -> new ArrayList<>())
                                .add(new Selection.Field(f.responseKey(), f.name(), f.arguments(), f.directives(), part)));
                    }
                    // nobody answers it: the primary's fetch plans it as usual (through keys, or with the usual error)
                    default -> parts.computeIfAbsent(primary, k -> new ArrayList<>()).add(child);
                }
            }
        }

        /** The type a fragment's selections are read on, under {@code type}. */
        String fragmentType(String type, Selection.Fragment fragment) {
            if (fragment.typeCondition() == null) return type;
            // an abstract condition on an object type: its fields are the object's own
            return schema.getType(fragment.typeCondition()) instanceof GraphQLObjectType || !(schema.getType(type) instanceof GraphQLObjectType)
                    ? fragment.typeCondition() : type;
        }

        String childTypeName(String type, Selection.Field field) {
            return typeName(((GraphQLFieldsContainer) schema.getType(type)).getFieldDefinition(field.name()).getType());
        }

        boolean isEntityInAny(List<String> subgraphs, String type) {
            return subgraphs.stream().anyMatch(s -> isEntityIn(s, type));
        }

        /**
         * Whether {@code subgraph} answers all of {@code selections} itself, fragments included (a fragment on a
         * type it does not have, under a type it does, selects nothing there and is answered).
         */
        boolean selectsAll(String subgraph, String type, List<Selection> selections) {
            SubgraphSchema schemaIn = supergraph.subgraph(subgraph);
            for (Selection selection : selections) {
                switch (selection) {
                    case Selection.Fragment fragment -> {
                        String inner = fragmentType(type, fragment);
                        if (!inner.equals(type) && schemaIn.type(inner).isEmpty()) return false;
                        if (!selectsAll(subgraph, inner, fragment.selections())) return false;
                    }
                    case Selection.Field field -> {
                        if (field.isTypename()) continue;
                        if (!schemaIn.field(type, field.name()).map(FieldInSubgraph::answersHere).orElse(false)) return false;
                        if (!field.isLeaf() && !selectsAll(subgraph, childTypeName(type, field), field.selections())) return false;
                    }
                }
            }
            return true;
        }

        /**
         * Mutations: root fields in document order, one fetch per run of fields to the same subgraph. Queries: a field
         * joins a root fetch already planned when that subgraph can serve it; otherwise the subgraph that resolves most
         * of the field's own selection wins.
         */
        FetchGroup rootGroup(String rootType, List<String> allCandidates, Selection.Field field) {
            if (mutation) {
                if (lastRoot != null && allCandidates.contains(lastRoot.subgraph)) return lastRoot;
                FetchGroup group = newGroup(allCandidates.get(0), rootType, List.of(), false, null, null);
                if (lastRoot != null) group.dependsOn.add(lastRoot);
                lastRoot = group;
                return group;
            }
            // A subgraph that answers the whole selection itself comes first: any other would have to reach the
            // rest through keys, and where a field is @external there (a shared node(id:) root, say) its value
            // from that subgraph cannot be trusted at all.
            GraphQLFieldDefinition definition = ((GraphQLFieldsContainer) schema.getType(rootType)).getFieldDefinition(field.name());
            String type = typeName(definition.getType());
            List<String> candidates = servingSameField(allCandidates, rootType, field, type);
            List<String> serving = field.isLeaf() ? candidates
                    : candidates.stream().filter(c -> servesLocally(c, type, field.selections(),
                            supergraph.subgraph(c).field(rootType, field.name()).map(QueryPlanner::provides).orElse(null))).toList();
            if (!serving.isEmpty() && serving.size() < candidates.size()) {
                for (FetchGroup existing : groups) {
                    if (!existing.entityFetch && serving.contains(existing.subgraph)) return existing;
                }
                return newGroup(mostServing(serving, rootType), rootType, List.of(), false, null, null);
            }
            for (FetchGroup existing : groups) {
                if (!existing.entityFetch && candidates.contains(existing.subgraph)) return existing;
            }
            String best = candidates.stream()
                    .max(Comparator.comparingInt((String s) -> localCoverage(s, rootType, field))
                            .thenComparingInt(s -> rootFieldsServed(s, rootType))
                            .thenComparing(s -> -candidates.indexOf(s)))
                    .orElseThrow();
            return newGroup(best, rootType, List.of(), false, null, null);
        }

        /**
         * Of {@code candidates}, those that serve most of the root fields asking for the same field with the same
         * arguments under other response keys ({@code a1: media {id}} beside {@code media {animals {id}}}) itself: one
         * subgraph answers them all, as the references plan it, rather than each alias going where it alone fits
         * best (or where another root field's fetch happens to be), which can be a subgraph that must not be asked
         * for the field at all.
         */
        List<String> servingSameField(List<String> candidates, String rootType, Selection.Field field, String type) {
            List<Selection.Field> same = new ArrayList<>();
            for (RootField root : roots) {
                Selection.Field f = root.field();
                if (f.name().equals(field.name()) && arguments(f).equals(arguments(field))) same.add(f);
            }
            if (same.size() < 2 || field.isLeaf()) return candidates;
            Map<String, Integer> served = new HashMap<>();
            for (String candidate : candidates) {
                List<Selection> provided = supergraph.subgraph(candidate).field(rootType, field.name()).map(QueryPlanner::provides).orElse(null);
                served.put(candidate, (int) same.stream().filter(f -> servesLocally(candidate, type, f.selections(), provided)).count());
            }
            int most = served.values().stream().max(Integer::compare).orElse(0);
            return most == 0 ? candidates : candidates.stream().filter(c -> served.get(c) == most).toList();
        }

        /** Of {@code subgraphs}, the one that serves most of the operation's root fields itself (the first on a tie). */
        String mostServing(List<String> subgraphs, String rootType) {
            if (subgraphs.size() == 1) return subgraphs.get(0);
            return subgraphs.stream().max(Comparator.comparingInt((String s) -> rootFieldsServed(s, rootType))
                    .thenComparing(s -> -subgraphs.indexOf(s))).orElseThrow();
        }

        /**
         * How many of the operation's root fields {@code subgraph} serves itself: a root field several subgraphs could
         * serve goes where the others can follow, so that {@code {a1: media {id}} {media {animals {id}}}} is one fetch
         * to the subgraph that serves both, not two (the references plan it so; strict subgraphs punish the other).
         */
        int rootFieldsServed(String subgraph, String rootType) {
            int served = 0;
            for (RootField root : roots) {
                Selection.Field f = root.field();
                if (f.isTypename() || f.name().startsWith("__")) continue;
                var inSubgraph = supergraph.subgraph(subgraph).field(rootType, f.name());
                if (inSubgraph.isEmpty()) continue;
                GraphQLFieldDefinition definition = ((GraphQLFieldsContainer) schema.getType(rootType)).getFieldDefinition(f.name());
                if (definition == null) continue;
                if (f.isLeaf() || servesLocally(subgraph, typeName(definition.getType()), f.selections(), provides(inSubgraph.get()))) served++;
            }
            return served;
        }

        /**
         * Whether the subgraph resolves every field of the selection itself, at any depth, with no key jump: on an
         * abstract type, for every object type it can return there (an implementation may have the field @external).
         */
        boolean servesLocally(String subgraphName, String typeName, List<Selection> selections, List<Selection> provided) {
            SubgraphSchema subgraph = supergraph.subgraph(subgraphName);
            GraphQLNamedType type = (GraphQLNamedType) schema.getType(typeName);
            for (Selection selection : selections) {
                switch (selection) {
                    case Selection.Field f -> {
                        if (f.isTypename()) continue;
                        List<Selection> providedField = providedField(provided, typeName, f.name());
                        if (providedField == null && !resolvesLocally(subgraph, type, f.name())) return false;
                        if (!f.isLeaf()) {
                            String child = typeName(((GraphQLFieldsContainer) type).getFieldDefinition(f.name()).getType());
                            if (!servesLocally(subgraphName, child, f.selections(),
                                    childProvided(providedField, subgraph.field(typeName, f.name())))) return false;
                        }
                    }
                    case Selection.Fragment f -> {
                        String condition = f.typeCondition();
                        if (condition == null || condition.equals(typeName)
                                || (type instanceof GraphQLObjectType && isPossibleType(condition, typeName))) {
                            if (!servesLocally(subgraphName, typeName, f.selections(), provided)) return false;
                        } else if (isAbstract(type) && schema.getType(condition) instanceof GraphQLNamedType conditionType) {
                            for (GraphQLObjectType object : possibleObjects(isAbstract(conditionType) ? conditionType : type)) {
                                boolean reached = isPossibleType(condition, object.getName()) && isPossibleType(typeName, object.getName())
                                        && possibleIn(subgraph, type, object.getName());
                                if (reached && !servesLocally(subgraphName, object.getName(), f.selections(), provided)) return false;
                            }
                        }
                    }
                }
            }
            return true;
        }

        /** The field is answered by this subgraph at this type (every implementation it returns, on an interface). */
        boolean resolvesLocally(SubgraphSchema subgraph, GraphQLNamedType type, String fieldName) {
            return subgraph.field(type.getName(), fieldName).map(FieldInSubgraph::answersHere).orElse(false)
                    && implementationsResolve(subgraph, type, fieldName);
        }

        /**
         * On an interface, whether every implementation this subgraph can return resolves the field here too (an
         * @override may have moved it away from one of them, or it is @external on one); true on other types.
         */
        boolean implementationsResolve(SubgraphSchema subgraph, GraphQLNamedType type, String fieldName) {
            if (!(type instanceof GraphQLInterfaceType iface) || isInterfaceObjectIn(subgraph.subgraph().name(), iface.getName())) {
                return true;
            }
            return schema.getImplementations(iface).stream()
                    .filter(o -> subgraph.type(o.getName()).map(t -> t.interfaces().contains(iface.getName())).orElse(false))
                    .allMatch(o -> subgraph.field(o.getName(), fieldName).map(FieldInSubgraph::answersHere).orElse(true));
        }

        int localCoverage(String subgraph, String parentType, Selection.Field field) {
            GraphQLFieldDefinition definition = ((GraphQLFieldsContainer) schema.getType(parentType)).getFieldDefinition(field.name());
            String type = typeName(definition.getType());
            SubgraphSchema s = supergraph.subgraph(subgraph);
            return covered(s, type, field.selections());
        }

        /** Fields of the selection (through the fragments of @skip/@include) that the subgraph resolves. */
        int covered(SubgraphSchema s, String type, List<Selection> selections) {
            int covered = 0;
            for (Selection child : selections) {
                if (child instanceof Selection.Field f && (f.isTypename() || s.resolves(type, f.name()))) covered++;
                if (child instanceof Selection.Fragment f && f.isConditional() && f.typeCondition() == null) {
                    covered += covered(s, type, f.selections());
                }
            }
            return covered;
        }

        FetchGroup newGroup(String subgraph, String type, List<String> path, boolean entity, String representationTypename,
                            FetchGroup parent) {
            FetchGroup group = new FetchGroup(groups.size(), subgraph, type, path, entity, representationTypename, parent);
            groups.add(group);
            return group;
        }

        /**
         * Plans selections read from {@code group}'s subgraph at an object of type {@code typeName}, adding to
         * {@code out}; {@code provided} is what @provides makes available here; the groups that will produce the
         * selected data are added to {@code producers}.
         */
        void planSelections(FetchGroup group, String typeName, List<Selection> selections, SelectionBuilder out,
                            List<String> path, List<Selection> provided, Set<FetchGroup> producers) {
            GraphQLNamedType type = (GraphQLNamedType) schema.getType(typeName);
            if (type instanceof GraphQLInterfaceType iface && isInterfaceObjectIn(group.subgraph, typeName)
                    && planAtInterfaceObject(group, iface, selections, out, path, provided, producers)) {
                return;
            }
            out.composite();
            if (isAbstract(type) || isEntityIn(group.subgraph, typeName)) out.typename();
            boolean outer = unreachableDroppable;
            String outerType = droppableType;
            // An interface no object type implements: no answer can ever be of a type that has a field this subgraph
            // lacks, so such a field is not fetched (the object the subgraph returns is no valid answer: the shaper
            // nulls it with an error), as the references do, when the subgraph is asked for something else here;
            // asked for nothing else, planning fails as for any unreachable field.
            unreachableDroppable = type instanceof GraphQLInterfaceType iface && schema.getImplementations(iface).isEmpty()
                    && (answersSomething(group.subgraph, typeName, selections) || (outer && typeName.equals(outerType)));
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

        /**
         * An interface no object type implements. A field of it that no fetch can reach is left out where a variable
         * condition guards it (or, see planSelections, beside fields the subgraph answers): no answer can ever be of
         * a type that has the field, so the shaper nulls the object with an error when the condition holds, as the
         * references answer; a planning error instead would fail the operation even when the condition skips the
         * field, where the references answer the rest.
         */
        boolean implementationLess(GraphQLNamedType type) {
            return type instanceof GraphQLInterfaceType iface && schema.getImplementations(iface).isEmpty();
        }

        /** Whether {@code subgraph} answers at least one field of {@code selections} itself (not __typename). */
        boolean answersSomething(String subgraph, String typeName, List<Selection> selections) {
            for (Selection selection : selections) {
                switch (selection) {
                    case Selection.Field field -> {
                        if (!field.isTypename() && supergraph.subgraph(subgraph).field(typeName, field.name())
                                .map(FieldInSubgraph::answersHere).orElse(false)) return true;
                    }
                    case Selection.Fragment fragment -> {
                        if ((fragment.typeCondition() == null || fragment.typeCondition().equals(typeName))
                                && answersSomething(subgraph, typeName, fragment.selections())) return true;
                    }
                }
            }
            return false;
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
                if (isPossibleType(condition, object.getName())) {
                    planSelections(group, type.getName(), fragment.selections(), out, path, provided, producers);
                }
            } else if (schema.getType(condition) instanceof GraphQLNamedType conditionType && isAbstract(conditionType)) {
                // Abstract within abstract: subgraphs may disagree on which types implement what, so ask per object
                // type that both allow (in the supergraph) and that this subgraph can return here.
                for (GraphQLObjectType object : possibleObjects(conditionType)) {
                    if (isPossibleType(type.getName(), object.getName()) && possibleIn(subgraph, type, object.getName())
                            && memberOnEveryCandidate(group, type, object.getName())) {
                        planSelections(group, object.getName(), fragment.selections(), out.fragment(object.getName()),
                                path, provided, producers);
                    }
                }
            } else if (possibleIn(subgraph, type, condition) && memberOnEveryCandidate(group, type, condition)) {
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
            List<Selection> providedField = providedField(provided, type.getName(), field.name());
            boolean implementationsResolve = implementationsResolve(subgraph, type, field.name());
            boolean local = providedField != null
                    || (implementationsResolve && here.map(FieldInSubgraph::answersHere).orElse(false));
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
                    String childType = here.map(f -> subgraphType(f, definition)).orElse(typeName(definition.getType()));
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
            if (type instanceof GraphQLInterfaceType iface && !isInterfaceObjectIn(group.subgraph, iface.getName())
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
         * Reads the field from another subgraph (or this one again, for @requires) through an entity key: first a key
         * the current subgraph can send, else a key whose fields other subgraphs provide first (one more hop).
         */
        void jump(FetchGroup group, GraphQLNamedType type, Selection.Field field, GraphQLFieldDefinition definition,
                  SelectionBuilder out, List<String> path, List<Selection> provided, Set<FetchGroup> producers) {
            if (unreachableDroppable || (!conditions.isEmpty() && implementationLess(type))) return;
            List<Target> targets = targets(type, field.name());
            for (Target target : targets) {
                for (Key key : target.keys()) {
                    List<Selection> keySelections = normalize(key.fields());
                    if (partOfKey(field, keySelections)) continue;
                    if (!canSelect(group.subgraph, type.getName(), keySelections, provided)) continue;
                    out.typename();
                    planSelections(group, type.getName(), keySelections, out, path, provided, new LinkedHashSet<>());
                    connect(group, type, field, definition, target, keySelections, Set.of(), out, path, provided, producers);
                    return;
                }
            }
            String attempt = group.subgraph + ":" + type.getName() + "." + field.name() + "@" + path;
            if (indirectKeys.add(attempt)) {
                try {
                    for (Target target : targets) {
                        for (Key key : target.keys()) {
                            List<Selection> keySelections = normalize(key.fields());
                            if (partOfKey(field, keySelections)) continue;
                            Set<FetchGroup> keyFrom = new LinkedHashSet<>();
                            try {
                                out.typename();
                                planSelections(group, type.getName(), keySelections, out, path, provided, keyFrom);
                            } catch (PlanningException unreachable) {
                                continue;
                            }
                            connect(group, type, field, definition, target, keySelections, keyFrom, out, path, provided, producers);
                            return;
                        }
                    }
                } finally {
                    indirectKeys.remove(attempt);
                }
            }
            if (jumpFromEntityParent(group, type, field, definition, producers)) return;
            throw new PlanningException("cannot plan " + type.getName() + "." + field.name() + " from subgraph "
                    + group.subgraph + ": no subgraph that resolves it has a key that " + group.subgraph + " can provide");
        }

        /**
         * A field of a value type (no key) that another subgraph resolves: go back up to the nearest entity in this
         * fetch and ask the other subgraph for the whole chain of fields from that entity down to the field.
         */
        boolean jumpFromEntityParent(FetchGroup group, GraphQLNamedType type, Selection.Field field,
                                     GraphQLFieldDefinition definition, Set<FetchGroup> producers) {
            List<Frame> chain = new ArrayList<>();
            for (Frame frame : frames) {
                if (frame.group() != group) return false;
                chain.add(0, frame);
                if (!isEntityIn(group.subgraph, frame.typeName())) continue;
                GraphQLNamedType anchor = (GraphQLNamedType) schema.getType(frame.typeName());
                for (Target target : targets(anchor, chain.get(0).via().name())) {
                    if (!resolvesChain(target.subgraph(), chain, type.getName(), field.name())) continue;
                    for (Key key : target.keys()) {
                        List<Selection> keySelections = normalize(key.fields());
                        boolean selectable = canSelect(group.subgraph, anchor.getName(), keySelections, frame.provided());
                        if (!selectable && !carriedInRepresentations(group, frame, anchor.getName(), keySelections)) continue;
                        frame.out().typename();
                        if (selectable) addAll(frame.out(), keySelections);
                        FetchGroup child = entityGroup(target, frame.path(), group);
                        SelectionBuilder requires = child.requires.fragment(anchor.getName());
                        requires.typename();
                        addAll(requires, keySelections);
                        addKeys(child, anchor.getName(), keySelections);
                        SelectionBuilder cursor = underConditions(child.body());
                        List<String> path = frame.path();
                        for (Frame step : chain) {
                            Selection.Field via = step.via();
                            cursor = cursor.field(via.responseKey(), via.name(), via.arguments(), via.directives());
                            cursor.typename();
                            GraphQLFieldDefinition viaDefinition = ((GraphQLFieldsContainer) schema.getType(step.typeName()))
                                    .getFieldDefinition(via.name());
                            path = childPath(path, via, viaDefinition.getType());
                        }
                        SelectionBuilder node = cursor.field(field.responseKey(), field.name(), field.arguments(), field.directives());
                        producers.add(child);
                        if (isComposite(definition)) {
                            planSelections(child, typeName(definition.getType()), field.selections(), node,
                                    childPath(path, field, definition.getType()), null, producers);
                        }
                        return true;
                    }
                }
                return false;
            }
            return false;
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

        /** A key cannot fetch one of its own fields: its representation would need the field first. */
        boolean partOfKey(Selection.Field field, List<Selection> keySelections) {
            return keySelections.stream().anyMatch(k -> k instanceof Selection.Field f && f.name().equals(field.name()));
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
            List<Selection> required = targetField.requires() == null ? List.of() : withArgumentAliases(normalize(targetField.requires()));
            // A representation carries each field once: fields needing the same required field with other
            // arguments go to another fetch of the same subgraph.
            FetchGroup child = entityGroup(target, path, group, "");
            for (int variant = 1; conflicts(child, required); variant++) child = entityGroup(target, path, group, "#" + variant);
            recordArguments(child, required);
            child.dependsOn.addAll(keyFrom);
            SelectionBuilder requires = child.requires.fragment(type.getName());
            requires.typename();
            addAll(requires, keySelections);
            addKeys(child, type.getName(), keySelections);
            if (targetField.requires() != null) {
                Set<FetchGroup> requiredFrom = new LinkedHashSet<>();
                notReusable.add(child); // what the child needs cannot come from the child itself
                try {
                    planSelections(group, type.getName(), required, out, path, provided, requiredFrom);
                } finally {
                    notReusable.remove(child);
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
                    planSelections(child, subgraphType(targetField, definition), field.selections(), node,
                            childPath(path, field, definition.getType()), provides(targetField), producers);
                } finally {
                    frames.pop();
                }
            }
        }

        /**
         * At an interface that this subgraph only knows as an @interfaceObject, objects come back named after the
         * interface. The subgraph that owns the interface tells each object's real type (and answers fragments on
         * the implementations); the interface's own fields are planned as usual.
         */
        boolean planAtInterfaceObject(FetchGroup group, GraphQLInterfaceType iface, List<Selection> selections,
                                      SelectionBuilder out, List<String> path, List<Selection> provided, Set<FetchGroup> producers) {
            if (!needsConcreteType(iface.getName(), selections)) return false; // the interface's fields are enough
            for (var s : supergraph.subgraphs()) {
                TypeInSubgraph owner = supergraph.subgraph(s.name()).type(iface.getName()).orElse(null);
                if (owner == null || owner.interfaceObject() || owner.resolvableKeys().isEmpty()) continue;
                for (Key key : owner.resolvableKeys()) {
                    List<Selection> keySelections = normalize(key.fields());
                    if (!canSelect(group.subgraph, iface.getName(), keySelections, provided)) continue;
                    out.typename();
                    addAll(out, keySelections); // selectable here (checked above); planning them would come back here
                    FetchGroup child = entityGroup(new Target(s.name(), iface.getName(), owner.resolvableKeys(), iface.getName(), false), path, group);
                    SelectionBuilder requires = child.requires.fragment(iface.getName());
                    requires.typename();
                    addAll(requires, keySelections);
                    addKeys(child, iface.getName(), keySelections);
                    child.body().typename();
                    producers.add(child);
                    for (Selection selection : selections) {
                        switch (selection) {
                            case Selection.Field f -> planField(group, iface, f, out, path, provided, producers);
                            // A fragment that needs no concrete type inside is planned as usual: its fields were
                            // otherwise lost (a condition around fields of the interface only).
                            case Selection.Fragment f when f.isConditional() -> {
                                boolean planned;
                                conditions.add(f.conditions());
                                try {
                                    planned = planAtInterfaceObject(group, iface, List.of(f.withoutConditions()), out.conditional(f.conditions()),
                                            path, provided, producers);
                                } finally {
                                    conditions.remove(conditions.size() - 1);
                                }
                                if (!planned) planFragment(group, iface, f, out, path, provided, producers);
                            }
                            case Selection.Fragment f when f.typeCondition() == null || f.typeCondition().equals(iface.getName()) -> {
                                if (!planAtInterfaceObject(group, iface, f.selections(), out, path, provided, producers)) {
                                    planFragment(group, iface, f, out, path, provided, producers);
                                }
                            }
                            case Selection.Fragment f -> planFragment(child, iface, f, underConditions(child.body()), path, null, producers);
                        }
                    }
                    return true;
                }
            }
            return false;
        }

        /** Whether the selections ask for __typename or for fragments on other types than the interface itself. */
        boolean needsConcreteType(String iface, List<Selection> selections) {
            for (Selection selection : selections) {
                switch (selection) {
                    case Selection.Field f -> { if (f.isTypename()) return true; }
                    case Selection.Fragment f -> {
                        if (f.typeCondition() != null && !f.typeCondition().equals(iface)) return true;
                        if (needsConcreteType(iface, f.selections())) return true;
                    }
                }
            }
            return false;
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
                if (!isEntityIn(group.subgraph, frame.typeName())) continue;
                for (var other : supergraph.subgraphs()) {
                    SubgraphSchema candidate = supergraph.subgraph(other.name());
                    if (other.name().equals(group.subgraph)) continue;
                    boolean keyed = candidate.type(frame.typeName()).map(t -> !t.resolvableKeys().isEmpty()).orElse(false);
                    if (!keyed || !resolvesChain(candidate, chain)) continue;
                    if (!possibleIn(candidate, union, member)) return false;
                }
                return true;
            }
            return true;
        }

        /** Whether the subgraph can return objects of type objectType where parentType (abstract) is expected. */
        boolean possibleIn(SubgraphSchema subgraph, GraphQLNamedType parentType, String objectType) {
            TypeInSubgraph object = subgraph.type(objectType).orElse(null);
            if (object == null) return false;
            return switch (parentType) {
                case GraphQLUnionType u -> subgraph.type(u.getName()).map(t -> t.unionMembers().contains(objectType)).orElse(false);
                case GraphQLInterfaceType i -> object.interfaces().contains(i.getName()) || isInterfaceObjectIn(subgraph.subgraph().name(), i.getName());
                default -> true;
            };
        }

        /** Where a field can be read through a key: the type itself, or an interface seen as an object elsewhere. */
        List<Target> targets(GraphQLNamedType type, String field) {
            List<Target> targets = new ArrayList<>();
            for (var s : supergraph.subgraphs()) {
                SubgraphSchema subgraph = supergraph.subgraph(s.name());
                subgraph.type(type.getName()).filter(t -> !t.resolvableKeys().isEmpty() && subgraph.resolves(type.getName(), field))
                        .ifPresent(t -> targets.add(new Target(s.name(), t.name(), t.resolvableKeys(),
                                t.interfaceObject() || type instanceof GraphQLInterfaceType ? t.name() : null,
                                subgraph.field(t.name(), field).map(f -> f.requires() != null).orElse(false))));
            }
            if (type instanceof GraphQLObjectType object) {
                for (var iface : object.getInterfaces()) {
                    for (var s : supergraph.subgraphs()) {
                        SubgraphSchema subgraph = supergraph.subgraph(s.name());
                        subgraph.type(iface.getName()).filter(t -> t.interfaceObject() && subgraph.resolves(t.name(), field))
                                .ifPresent(t -> targets.add(new Target(s.name(), t.name(), t.resolvableKeys(), t.name(),
                                        subgraph.field(t.name(), field).map(f -> f.requires() != null).orElse(false))));
                    }
                }
            }
            // Fields without @requires first: they need one fetch less.
            targets.sort(Comparator.comparing(Target::hasRequires));
            return targets;
        }

        /** Required fields with arguments get an internal alias, so that other arguments can be fetched beside them. */
        /**
         * The required selection with every field that has arguments, at any depth, under an internal alias: the same
         * field may be selected by the client (or another @requires) with other arguments in the same fetch.
         */
        List<Selection> withArgumentAliases(List<Selection> required) {
            List<Selection> out = new ArrayList<>(required.size());
            for (Selection selection : required) {
                out.add(switch (selection) {
                    case Selection.Field f -> new Selection.Field(
                            f.arguments().isEmpty() ? f.responseKey() : ResponseKeys.requiredWithArguments(f.name(), arguments(f)),
                            f.name(), f.arguments(), f.directives(), withArgumentAliases(f.selections()));
                    case Selection.Fragment f -> f.withSelections(withArgumentAliases(f.selections()));
                });
            }
            return out;
        }

        /** Whether a representation of {@code child} already carries one of these fields with other arguments. */
        boolean conflicts(FetchGroup child, List<Selection> required) {
            Map<String, String> wanted = new HashMap<>();
            argumentsByPath(required, "", wanted);
            for (Map.Entry<String, String> entry : wanted.entrySet()) {
                String existing = child.requiredArguments.get(entry.getKey());
                if (existing != null && !existing.equals(entry.getValue())) return true;
            }
            return false;
        }

        void recordArguments(FetchGroup child, List<Selection> required) {
            argumentsByPath(required, "", child.requiredArguments);
        }

        /** The printed arguments of every field with arguments in a required selection, by its path of field names. */
        void argumentsByPath(List<Selection> selections, String prefix, Map<String, String> out) {
            for (Selection selection : selections) {
                switch (selection) {
                    case Selection.Field f -> {
                        if (!f.arguments().isEmpty()) out.put(prefix + f.name(), arguments(f));
                        argumentsByPath(f.selections(), prefix + f.name() + ".", out);
                    }
                    case Selection.Fragment f -> argumentsByPath(f.selections(), prefix, out);
                }
            }
        }

        FetchGroup entityGroup(Target target, List<String> path, FetchGroup parent) {
            return entityGroup(target, path, parent, "");
        }

        FetchGroup entityGroup(Target target, List<String> path, FetchGroup parent, String variant) {
            String key = target.subgraph() + "|" + target.type() + "|" + target.representationTypename() + "|" + path + "|" + parent.id + variant;
            FetchGroup existing = entityGroups.get(key);
            if (existing != null && !notReusable.contains(existing)) return existing;
            FetchGroup created = newGroup(target.subgraph(), target.type(), path, true, target.representationTypename(), parent);
            if (existing == null) entityGroups.put(key, created);
            return created;
        }

        /** Whether the subgraph can return every field of the selections on type (a key it must send). */
        boolean canSelect(String subgraphName, String typeName, List<Selection> selections, List<Selection> provided) {
            SubgraphSchema subgraph = supergraph.subgraph(subgraphName);
            for (Selection selection : selections) {
                // a field under @skip/@include on a variable (normalized into a fragment around it) counts as the field
                if (selection instanceof Selection.Fragment fragment && fragment.isConditional() && fragment.typeCondition() == null) {
                    if (!canSelect(subgraphName, typeName, fragment.selections(), provided)) return false;
                    continue;
                }
                if (!(selection instanceof Selection.Field field) || field.isTypename()) continue;
                boolean ok = providedField(provided, typeName, field.name()) != null || subgraph.field(typeName, field.name())
                        .map(FieldInSubgraph::answersHere).orElse(false);
                if (!ok) return false;
                if (!field.isLeaf()) {
                    GraphQLFieldDefinition definition = ((GraphQLFieldsContainer) schema.getType(typeName)).getFieldDefinition(field.name());
                    if (!canSelect(subgraphName, typeName(definition.getType()), field.selections(), providedField(provided, typeName, field.name()))) return false;
                }
            }
            return true;
        }

        boolean isEntityIn(String subgraph, String typeName) {
            return supergraph.subgraph(subgraph).type(typeName).map(TypeInSubgraph::isEntity).orElse(false);
        }

        boolean isInterfaceObjectIn(String subgraph, String typeName) {
            return supergraph.subgraph(subgraph).type(typeName).map(TypeInSubgraph::interfaceObject).orElse(false);
        }

        PlanNode build() {
            return PlanBuilder.build(groups, operation, supergraph);
        }
    }

    /** A position on the way down: the type and builder where {@code via} was selected. */
    private record Frame(FetchGroup group, String typeName, SelectionBuilder out, List<String> path,
                         List<Selection> provided, Selection.Field via) {}

    /** A subgraph that can resolve a field through one of its keys on {@code type} (its own name for the type). */
    private record Target(String subgraph, String type, List<Key> keys, String representationTypename, boolean hasRequires) {}

    private boolean isPossibleType(String abstractOrObject, String objectType) {
        return relations.isPossibleType(abstractOrObject, objectType);
    }

    /** The object types of an interface or union, as a list the planner can walk. */
    private List<GraphQLObjectType> possibleObjects(GraphQLNamedType type) {
        return relations.possibleObjects(type);
    }

    /**
     * Whether the field's type has fields of its own: its selection set must not be empty, even when every
     * selection the client wrote in it was removed by a literal @skip/@include (normalized away).
     */
    private static boolean isComposite(GraphQLFieldDefinition definition) {
        return !GraphQLTypeUtil.isLeaf(GraphQLTypeUtil.unwrapAll(definition.getType()));
    }

    /**
     * The type a subgraph gives the field, where it is narrower than the supergraph's (join__field type: "Book" where
     * the supergraph has a union): the selections sent there must be valid for it, so fragments on types it can
     * never be are left out.
     */
    private String subgraphType(FieldInSubgraph field, GraphQLFieldDefinition definition) {
        String name = field.namedType();
        return schema.getType(name) != null ? name : typeName(definition.getType());
    }

    private static boolean isAbstract(GraphQLNamedType type) {
        return TypeRelations.isAbstract(type);
    }

    static String typeName(GraphQLType type) {
        return ((GraphQLNamedType) GraphQLTypeUtil.unwrapAll(type)).getName();
    }

    /** The response path below a field: its key, then "@" for every list level of its type. */
    static List<String> childPath(List<String> path, Selection.Field field, GraphQLType type) {
        List<String> child = new ArrayList<>(path);
        child.add(field.responseKey());
        GraphQLType t = type;
        while (true) {
            if (t instanceof GraphQLNonNull nonNull) t = nonNull.getWrappedType();
            else if (t instanceof GraphQLList list) {
                child.add("@");
                t = list.getWrappedType();
            } else break;
        }
        return child;
    }

    private static List<Selection> provides(FieldInSubgraph field) {
        return field.provides() == null ? null : normalize(field.provides());
    }

    /**
     * What is provided below a field: the @provides sub-selection it was reached with, else the field's own
     * @provides in this subgraph.
     */
    private static List<Selection> childProvided(List<Selection> providedField, Optional<FieldInSubgraph> here) {
        return providedField != null && !providedField.isEmpty() ? providedField : here.map(QueryPlanner::provides).orElse(null);
    }

    /**
     * The sub-selection @provides gives for a field name at an object of {@code typeName}, an empty list for a
     * provided leaf, or null. A fragment of the @provides counts only where its type condition holds: on a union,
     * {@code ... on Book { title }} provides no Movie's title.
     */
    private List<Selection> providedField(List<Selection> provided, String typeName, String name) {
        if (provided == null) return null;
        for (Selection selection : provided) {
            if (selection instanceof Selection.Field f && f.name().equals(name)) return f.selections();
            if (selection instanceof Selection.Fragment f && (f.typeCondition() == null || f.typeCondition().equals(typeName)
                    || isPossibleType(f.typeCondition(), typeName))) {
                List<Selection> inner = providedField(f.selections(), typeName, name);
                if (inner != null) return inner;
            }
        }
        return null;
    }

    static List<Selection> normalize(FieldSet fieldSet) {
        return new SelectionNormalizer(Map.of()).normalize(fieldSet.selections());
    }

    private static String arguments(Selection.Field field) {
        return field.arguments().stream().map(AstPrinter::printAstCompact).sorted().toList().toString();
    }

    private static void addKeys(FetchGroup child, String type, List<Selection> keySelections) {
        SelectionBuilder keys = child.keys.fragment(type);
        keys.typename();
        addAll(keys, keySelections);
    }

    private static void addAll(SelectionBuilder out, List<Selection> selections) {
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f -> addAll(out.field(f.responseKey(), f.name(), f.arguments(), f.directives()), f.selections());
                case Selection.Fragment f -> addAll(out.fragment(f.typeCondition()), f.selections());
            }
        }
    }
}
