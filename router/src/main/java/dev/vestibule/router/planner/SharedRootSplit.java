package dev.vestibule.router.planner;

import dev.vestibule.router.operation.Selection;
import dev.vestibule.router.supergraph.SubgraphSchema;
import dev.vestibule.router.supergraph.SubgraphSchema.FieldInSubgraph;
import dev.vestibule.router.supergraph.Supergraph;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the selection of a shared root field that is an entity in none of its subgraphs splits among them
 * ({@link OperationWalker#splitSharedRootField}): what each subgraph is asked for in its part, and under which
 * conditions. It answers from the supergraph alone; the walk plans the parts. Apart from the walk because the split is
 * a question of its own (which subgraph answers which part of a selection), recursive over fragments and value-type
 * fields, that the rest of the walk never asks.
 */
final class SharedRootSplit {
    private final Supergraph supergraph;
    private final GraphQLSchema schema;
    private final SubgraphCoverage coverage;

    SharedRootSplit(Supergraph supergraph, SubgraphCoverage coverage) {
        this.supergraph = supergraph;
        this.schema = supergraph.schema();
        this.coverage = coverage;
    }

    /**
     * The parts of {@code returnable} (on {@code type}) each subgraph of {@code candidates} is asked for, by subgraph
     * ({@link #partition}). A fragment on an entity type goes whole to the primary subgraph, which reaches what it lacks
     * through keys: where what it lacks is answered by subgraphs asked for the field anyway, or asked for another root
     * field ({@code askedAnyway}), it is split among them instead, one fetch less ({ media { ... on Book { aTitle bTitle }
     * ... on Book { bTitle } } }: bTitle from b's own media, where an entity fetch to b asked it again, as Apollo's
     * planner).
     */
    Map<String, List<Selection>> parts(String primary, List<String> candidates, String type, List<Selection> returnable,
                                       Set<String> askedAnyway) {
        Map<String, List<Selection>> parts = new LinkedHashMap<>();
        partition(primary, candidates, type, returnable, parts, Set.of());
        Set<String> asked = new LinkedHashSet<>(parts.keySet());
        asked.addAll(askedAnyway);
        if (asked.size() > 1) {
            parts.clear();
            partition(primary, candidates, type, returnable, parts, asked);
        }
        return parts;
    }

    /**
     * The conditions each part is asked under, by subgraph. A part whose every selection is under the same
     * @skip/@include conditions is asked under them where another part, always asked, answers the field itself: where
     * they do not hold, its subgraph is not asked at all ({ product @include(if: $v) { name } product { price } }, as
     * Apollo's planner). When every part is under conditions, the primary's part (or the first) is always asked, for
     * the field itself.
     */
    static Map<String, List<Selection.Condition>> guards(Map<String, List<Selection>> parts, String primary) {
        Map<String, List<Selection.Condition>> guards = new HashMap<>();
        parts.forEach((subgraph, part) -> guards.put(subgraph, sharedConditions(part)));
        String alwaysAsked = guards.values().stream().anyMatch(List::isEmpty) ? null
                : parts.containsKey(primary) ? primary : parts.keySet().iterator().next();
        if (alwaysAsked != null) guards.put(alwaysAsked, List.of());
        return guards;
    }

    /** The conditions every one of {@code selections} is under (each a @skip/@include fragment), or none. */
    static List<Selection.Condition> sharedConditions(List<Selection> selections) {
        List<Selection.Condition> shared = null;
        for (Selection selection : selections) {
            if (!(selection instanceof Selection.Fragment f) || f.typeCondition() != null || !f.isConditional()) return List.of();
            if (shared == null) shared = new ArrayList<>(f.conditions());
            else shared.retainAll(f.conditions());
        }
        return shared == null ? List.of() : List.copyOf(shared);
    }

    /**
     * The object types a field of {@code parentType} can be in every subgraph of {@code candidates} (each resolves it):
     * each subgraph's own type for the field (join__field type: "Book" where the supergraph has a union), as that
     * subgraph knows it (its union members, the implementations it declares). A shared field is one value whichever
     * subgraph answers it, so it can only be of a type all of them can return (as Apollo's planner asks for it).
     */
    Set<String> objectsEveryCandidateReturns(String parentType, GraphQLFieldDefinition definition, List<String> candidates) {
        Set<String> objects = null;
        for (String candidate : candidates) {
            SubgraphSchema subgraph = supergraph.subgraph(candidate);
            FieldInSubgraph inSubgraph = subgraph.field(parentType, definition.getName()).orElseThrow();
            GraphQLNamedType own = (GraphQLNamedType) schema.getType(coverage.subgraphType(inSubgraph, definition));
            Set<String> returned = new HashSet<>();
            for (String object : coverage.objectTypes(own.getName())) {
                if (coverage.possibleIn(subgraph, own, object)) returned.add(object);
            }
            if (objects == null) objects = returned;
            else objects.retainAll(returned);
        }
        return objects == null ? Set.of() : objects;
    }

    /**
     * The selections without the typed fragments that no object in {@code objects} (what the value at this position
     * can be) matches, at any depth of fragments and of the value-type fields below that {@code candidates} share:
     * the value is never such an object, so no subgraph is asked for the fragment ({@code book { ... on Movie { bTitle }
     * ... on Song { title } }} where one subgraph's book is a Book and the other's a Media of Book or Movie: book is a
     * Book, one fetch, where the fragment on Movie went to the second subgraph and Song's to the first). Below an entity type
     * nothing is left out: its fields can come through keys from subgraphs outside {@code candidates}.
     */
    List<Selection> returnable(List<Selection> selections, Set<String> objects, String type, List<String> candidates) {
        List<Selection> out = new ArrayList<>(selections.size());
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Fragment f when f.typeCondition() == null -> out.add(f.withSelections(returnable(f.selections(), objects, type, candidates)));
                case Selection.Fragment f -> {
                    Set<String> matching = new HashSet<>();
                    for (String object : objects) if (coverage.matches(f.typeCondition(), object)) matching.add(object);
                    if (!matching.isEmpty()) out.add(f.withSelections(returnable(f.selections(), matching, coverage.fragmentType(type, f), candidates)));
                }
                case Selection.Field f when f.isLeaf() || f.isTypename() -> out.add(f);
                case Selection.Field f -> {
                    String child = coverage.childTypeName(type, f);
                    List<String> resolving = candidates.stream().filter(c -> supergraph.subgraph(c).field(type, f.name())
                            .map(FieldInSubgraph::answersHere).orElse(false)).toList();
                    if (resolving.isEmpty() || coverage.isEntityInAny(candidates, child)) {
                        out.add(f);
                        continue;
                    }
                    GraphQLFieldDefinition definition = ((GraphQLFieldsContainer) schema.getType(type)).getFieldDefinition(f.name());
                    out.add(new Selection.Field(f.responseKey(), f.name(), f.arguments(), f.directives(),
                            returnable(f.selections(), objectsEveryCandidateReturns(type, definition, resolving), child, resolving)));
                }
            }
        }
        return out;
    }

    /**
     * Splits {@code selections} on {@code type} (a type that is an entity in none of {@code candidates}) among the
     * subgraphs that can answer each part: a selection one subgraph answers whole goes to it (the primary first);
     * a fragment or a field whose parts only several subgraphs answer together is split, each subgraph getting
     * the fragment or field around its own part (the answers merge on the same path).
     */
    void partition(String primary, List<String> candidates, String type, List<Selection> selections,
                   Map<String, List<Selection>> parts, Set<String> splitAmong) {
        for (Selection child : selections) {
            String owner = coverage.selectsAll(primary, type, List.of(child)) ? primary
                    : candidates.stream().filter(c -> coverage.selectsAll(c, type, List.of(child))).findFirst().orElse(null);
            if (owner != null) {
                parts.computeIfAbsent(owner, k -> new ArrayList<>()).add(child);
                continue;
            }
            Map<String, List<Selection>> inner = new LinkedHashMap<>();
            switch (child) {
                case Selection.Fragment fragment when !coverage.isEntityInAny(candidates, coverage.fragmentType(type, fragment)) -> {
                    partition(primary, candidates, coverage.fragmentType(type, fragment), fragment.selections(), inner, splitAmong);
                    inner.forEach((subgraph, part) -> parts.computeIfAbsent(subgraph, k -> new ArrayList<>())
                            .add(fragment.withSelections(part)));
                }
                case Selection.Fragment fragment when !splitAmong.isEmpty()
                        && splitsAmong(primary, candidates, coverage.fragmentType(type, fragment), fragment, splitAmong, inner) ->
                    inner.forEach((subgraph, part) -> parts.computeIfAbsent(subgraph, k -> new ArrayList<>())
                            .add(fragment.withSelections(part)));
                case Selection.Field f when !f.isLeaf() && !coverage.isEntityInAny(candidates, coverage.childTypeName(type, f)) -> {
                    List<String> resolving = candidates.stream().filter(c -> supergraph.subgraph(c).field(type, f.name())
                            .map(FieldInSubgraph::answersHere).orElse(false)).toList();
                    if (resolving.isEmpty()) {
                        parts.computeIfAbsent(primary, k -> new ArrayList<>()).add(child);
                        continue;
                    }
                    String first = resolving.contains(primary) ? primary : resolving.get(0);
                    partition(first, resolving, coverage.childTypeName(type, f), f.selections(), inner, splitAmong);
                    inner.forEach((subgraph, part) -> parts.computeIfAbsent(subgraph, k -> new ArrayList<>())
                            .add(new Selection.Field(f.responseKey(), f.name(), f.arguments(), f.directives(), part)));
                }
                // nobody answers it: the primary's fetch plans it as usual (through keys, or with the usual error)
                default -> parts.computeIfAbsent(primary, k -> new ArrayList<>()).add(child);
            }
        }
    }

    /**
     * Whether the fragment (on an entity type) splits, by {@link #partition}, among {@code splitAmong} only (into
     * {@code inner}): more than one of them, each answering its part itself.
     */
    boolean splitsAmong(String primary, List<String> candidates, String type, Selection.Fragment fragment, Set<String> splitAmong,
                        Map<String, List<Selection>> inner) {
        partition(primary, candidates, type, fragment.selections(), inner, splitAmong);
        boolean splits = inner.size() > 1 && splitAmong.containsAll(inner.keySet())
                && inner.entrySet().stream().allMatch(e -> coverage.selectsAll(e.getKey(), type, e.getValue()));
        if (!splits) inner.clear();
        return splits;
    }
}
