package dev.vestibule.router.planner;

import static dev.vestibule.router.planner.SubgraphCoverage.arguments;
import static dev.vestibule.router.planner.SubgraphCoverage.provides;
import static dev.vestibule.router.planner.SubgraphCoverage.typeName;

import dev.vestibule.router.operation.Selection;
import dev.vestibule.router.supergraph.SubgraphSchema;
import dev.vestibule.router.supergraph.Supergraph;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the walk's root stage asks about an operation's root fields to choose the subgraph each goes to: whether a
 * root field is fetched at all, which subgraphs answer it (and the operation's other root fields) themselves, and,
 * among those whose plans cost least, which one it goes to. It answers from the operation and the supergraph alone;
 * the choices that depend on the walk (root fetches already planned, trial walks, a mutation's order) stay in
 * {@link OperationWalker#rootGroup}. Apart from the walk so that the walk reads as the walk, and the root choice's
 * criteria as one list.
 */
final class RootFieldChoice {
    private final Supergraph supergraph;
    private final GraphQLSchema schema;
    private final SubgraphCoverage coverage;
    /** Every root field of the operation. */
    private final List<RootField> roots;
    /** The root fields as written (literal @skip/@include ignored), by response key: see {@link #choiceField}. */
    private final Map<String, Selection.Field> asWritten;
    /** By root field, the subgraphs it is sure to ask: see {@link #askedAnyway(String, Selection.Field)}. */
    private final Map<Selection.Field, Set<String>> alwaysAsked = new IdentityHashMap<>();

    RootFieldChoice(Supergraph supergraph, SubgraphCoverage coverage, List<RootField> roots, Map<String, Selection.Field> asWritten) {
        this.supergraph = supergraph;
        this.schema = supergraph.schema();
        this.coverage = coverage;
        this.roots = roots;
        this.asWritten = asWritten;
    }

    /**
     * Whether a field of this type, asked for nothing (literal conditions removed all of its selection), can only be
     * null: an interface no object type implements, which none of the subgraphs serving the field knows as an
     * object (@interfaceObject). It is not fetched, as the references plan it: a fetch would only get the subgraph's
     * error for an object it cannot name, where the answer is null either way.
     */
    boolean neverAnObject(String type, List<String> subgraphs) {
        return coverage.implementationLess((GraphQLNamedType) schema.getType(type))
                && subgraphs.stream().noneMatch(s -> coverage.isInterfaceObjectIn(s, type));
    }

    /**
     * Whether the root field as written (literal conditions ignored) asks a subgraph serving it for a field it answers
     * itself: then the references fetch what is left ({@code a {__typename}}) and answer the subgraph's error for the
     * object it cannot name ({@code { a { id @skip(if: true) } }}); asked only for other subgraphs' fields, they do not.
     */
    boolean writtenForCandidates(Selection.Field field, String type, List<String> candidates) {
        Selection.Field written = asWritten.get(field.responseKey());
        return written != null && candidates.stream().anyMatch(s -> coverage.answersSomething(s, type, written.selections()));
    }

    /**
     * Whether every field in the selections sits under a variable condition ({@code a { field @skip(if: $v) }}). A root
     * field that can never be an object, asked for nothing its subgraphs answer themselves (the fields that are left
     * are unreachable, see {@link OperationWalker#jump}), under a variable condition, is not fetched either: Apollo's
     * planner plans nothing and answers null; a fetch of {@code a {__typename}} would only bring the subgraph's error,
     * one call more (#23, latency seed 56). With no condition at all, planning still fails on the unreachable field,
     * as the audit expects of {@code { a { field } }}.
     */
    static boolean onlyUnderConditions(List<Selection> selections) {
        for (Selection selection : selections) {
            if (!(selection instanceof Selection.Fragment f) || !(f.isConditional() || onlyUnderConditions(f.selections()))) return false;
        }
        return true;
    }

    /** Whether the selections hold no field: none, or only fragments that hold none (literal conditions emptied them). */
    static boolean selectsNothing(List<Selection> selections) {
        for (Selection selection : selections) {
            if (!(selection instanceof Selection.Fragment f) || !selectsNothing(f.selections())) return false;
        }
        return true;
    }

    /**
     * The field as the root subgraph is chosen by: as written, literal @skip/@include conditions ignored, as Apollo and
     * Hive choose. Chosen by what the conditions leave, a field left with nothing, or with only what several subgraphs
     * serve ({@code media { animals @skip(if: true) { name } id }}), went to the first subgraph listed, which can be
     * one the field must not be asked of. Asked under several response keys with the same arguments, it is chosen
     * by all of their selections together: one subgraph answers them all, as the references plan it ({@code a1: media
     * { id }} beside {@code media { animals { ... on Cat { age } } }}: a and b both serve a1's {@code id}, only b
     * serves media's animals, and a, listed first, must not be asked for media at all).
     */
    Selection.Field choiceField(Selection.Field field) {
        Selection.Field chosenBy = asWritten(field);
        if (chosenBy.isLeaf()) return chosenBy;
        List<Selection> together = new ArrayList<>();
        int keys = 0;
        for (RootField root : roots) {
            Selection.Field f = root.field();
            if (!f.name().equals(field.name()) || !arguments(f).equals(arguments(field))) continue;
            together.addAll(asWritten(f).selections());
            keys++;
        }
        return keys < 2 ? chosenBy
                : new Selection.Field(chosenBy.responseKey(), chosenBy.name(), chosenBy.arguments(), chosenBy.directives(), together);
    }

    private Selection.Field asWritten(Selection.Field field) {
        Selection.Field written = asWritten.get(field.responseKey());
        return written == null || !written.name().equals(field.name()) ? field : written;
    }

    /** The selections without those under conditions on variables (at any depth). */
    static List<Selection> unconditional(List<Selection> selections) {
        List<Selection> out = new ArrayList<>(selections.size());
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Fragment f when f.isConditional() -> { }
                case Selection.Fragment f -> out.add(f.withSelections(unconditional(f.selections())));
                case Selection.Field f -> out.add(f.isLeaf() ? f
                        : new Selection.Field(f.responseKey(), f.name(), f.arguments(), f.directives(), unconditional(f.selections())));
            }
        }
        return out;
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
            List<Selection> provided = supergraph.subgraph(candidate).field(rootType, field.name()).map(SubgraphCoverage::provides).orElse(null);
            served.put(candidate, (int) same.stream().filter(f -> coverage.servesLocally(candidate, type, f.selections(), provided)).count());
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
            if (f.isLeaf() || coverage.servesLocally(subgraph, typeName(definition.getType()), f.selections(), provides(inSubgraph.get()))) served++;
        }
        return served;
    }

    /**
     * How many fields of the operation's other root fields the subgraph answers itself, of those asked whatever the
     * variables (outside @skip/@include on variables): where no subgraph serves another root field whole, the one that
     * will be asked for part of it anyway is the better place for this one ({ product { id } products { name @skip(if:
     * $v) price } }: product goes where products' price goes, one fetch where $v holds, as Apollo's planner).
     */
    int rootSelectionsAnswered(String subgraph, String rootType, Selection.Field except) {
        SubgraphSchema schemaOf = supergraph.subgraph(subgraph);
        int answered = 0;
        for (RootField root : roots) {
            Selection.Field f = root.field();
            if (f == except || !root.conditions().isEmpty() || f.isLeaf() || f.name().startsWith("__")) continue;
            if (schemaOf.field(rootType, f.name()).isEmpty()) continue;
            GraphQLFieldDefinition definition = ((GraphQLFieldsContainer) schema.getType(rootType)).getFieldDefinition(f.name());
            if (definition != null) answered += coverage.covered(schemaOf, typeName(definition.getType()), unconditional(f.selections()));
        }
        return answered;
    }

    /**
     * Of {@code candidates} for the root field, those that answer, themselves, all that {@code chosenBy} asks (with their
     * @provides on the field): any other would have to reach the rest through keys, and where a field is @external
     * there (a shared node(id:) root, say) its value from that subgraph cannot be trusted at all. None answers it all
     * itself: those that answer all that is asked outside conditions on variables (a @provides can make it so); what the
     * conditions guard is fetched through keys when they hold. Joining another root field's fetch instead can send the
     * field to a subgraph that answers less of it (provides-on-interface: media went to a, book's subgraph, which must
     * not be asked for media).
     */
    List<String> servingItself(List<String> candidates, String rootType, Selection.Field field, Selection.Field chosenBy, String type) {
        List<String> serving = chosenBy.isLeaf() ? candidates
                : candidates.stream().filter(c -> coverage.servesLocally(c, type, chosenBy.selections(),
                        supergraph.subgraph(c).field(rootType, field.name()).map(SubgraphCoverage::provides).orElse(null))).toList();
        if (serving.isEmpty() && !chosenBy.isLeaf()) {
            List<Selection> unconditional = unconditional(chosenBy.selections());
            if (!unconditional.isEmpty()) {
                serving = candidates.stream().filter(c -> coverage.servesLocally(c, type, unconditional,
                        supergraph.subgraph(c).field(rootType, field.name()).map(SubgraphCoverage::provides).orElse(null))).toList();
            }
        }
        return serving;
    }

    /**
     * Whether {@code subgraph} is asked, whatever the variables, for another of the operation's root fields
     * ({@link #askedAnyway(String, Selection.Field)}): its root fetch is made anyway, and this field joins it at no
     * cost, where another candidate as cheap on its own needs a fetch of its own ({ media { ... on Book { a2: bTitle
     * bTitle aTitle } } aMedia { __typename } }: b answers more of media, but a is asked for aMedia anyway, and media
     * there with one entity fetch to b makes 2 fetches, not 3; as Apollo's planner, union-intersection in plan-bench on
     * the seed-58 operations, session 23). See OperationWalker#cheapest.
     */
    boolean askedAnyway(String subgraph, String rootType, Selection.Field except) {
        return askedAnyway(rootType, except).contains(subgraph);
    }

    /**
     * The subgraphs asked, whatever the variables, for the operation's root fields other than {@code except}: the one
     * subgraph that resolves such a field, and, below a shared root field of a value type (an entity in none of its
     * subgraphs, so no key reaches its fields elsewhere), the one subgraph among them that resolves a field asked
     * outside conditions ({ viewer { aMedia { id } } viewer { bMedia { id } } }: a and b are both asked, whichever
     * answers viewer). Root fields planned later count too: see OperationWalker#splitSharedRootField.
     */
    Set<String> askedAnyway(String rootType, Selection.Field except) {
        return asked(rootType, except, false);
    }

    /**
     * Whether {@code subgraph} is asked for another of the operation's root fields at all, under @skip/@include
     * conditions too ({@link #askedAnyway(String, Selection.Field)} counts only those asked whatever the variables).
     * Where it is asked only under conditions, this field, asked always, joins that fetch where they hold and needs one
     * of its own, no more, where they do not ({ products { id } ... @skip(if: $v) { product { name { model } } } }:
     * products goes where product's name goes, 1 fetch where $v does not hold, where the first listed subgraph made 2,
     * as Apollo's planner).
     */
    boolean askedForAnother(String subgraph, String rootType, Selection.Field except) {
        return asked(rootType, except, true).contains(subgraph);
    }

    private Set<String> asked(String rootType, Selection.Field except, boolean underConditions) {
        Set<String> asked = new LinkedHashSet<>();
        for (RootField root : roots) {
            Selection.Field f = root.field();
            if (f == except || f.name().equals(except.name()) || !underConditions && !root.conditions().isEmpty() || f.name().startsWith("__")) continue;
            asked.addAll(alwaysAsked.computeIfAbsent(f, k -> alwaysAsked(rootType, f)));
        }
        return asked;
    }

    /** The subgraphs a root field, asked whatever the variables, is sure to ask: see {@link #askedAnyway(String, Selection.Field)}. */
    private Set<String> alwaysAsked(String rootType, Selection.Field field) {
        List<String> resolving = coverage.resolving(rootType, field.name());
        if (resolving.size() == 1) return Set.of(resolving.get(0));
        Set<String> asked = new LinkedHashSet<>();
        if (!field.isLeaf()) alwaysAskedBelow(typeName(((GraphQLFieldsContainer) schema.getType(rootType)).getFieldDefinition(field.name()).getType()),
                field.selections(), resolving, asked);
        return asked;
    }

    private void alwaysAskedBelow(String type, List<Selection> selections, List<String> resolving, Set<String> asked) {
        if (resolving.size() < 2 || !(schema.getType(type) instanceof GraphQLObjectType object) || coverage.isEntityInAny(resolving, type)) return;
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Fragment f when !f.isConditional() && (f.typeCondition() == null || f.typeCondition().equals(type)) ->
                        alwaysAskedBelow(type, f.selections(), resolving, asked);
                case Selection.Field f when !f.isTypename() && !f.isIntrospection() && object.getFieldDefinition(f.name()) != null -> {
                    List<String> answering = resolving.stream().filter(s -> supergraph.subgraph(s).field(type, f.name())
                            .map(SubgraphSchema.FieldInSubgraph::answersHere).orElse(false)).toList();
                    if (answering.size() == 1) asked.add(answering.get(0));
                    else if (!f.isLeaf()) alwaysAskedBelow(coverage.childTypeName(type, f), f.selections(), answering, asked);
                }
                default -> { }
            }
        }
    }

    /**
     * Of the candidates whose plans of the root field cost least, the one it goes to: the one that answers most of
     * {@code chosenBy} itself, then serves most of the operation's root fields, then answers most of the others' fields,
     * then answers most of {@code chosenBy} counting its @provides and fragments on object types ({ media { __typename }
     * a2: media { ... on Book { title } ... on Movie { title } } }: b provides Book's title, so c is asked only for the
     * Movie's, as Apollo's planner; a, the first listed, left both to c) (the first listed on a tie).
     */
    String best(List<String> cheapest, String rootType, Selection.Field chosenBy, Selection.Field field) {
        return cheapest.stream()
                .max(Comparator.comparingInt((String s) -> coverage.localCoverage(s, rootType, chosenBy))
                        .thenComparingInt(s -> rootFieldsServed(s, rootType))
                        .thenComparingInt(s -> rootSelectionsAnswered(s, rootType, field))
                        .thenComparingInt(s -> coverage.answeredLocally(s, rootType, chosenBy))
                        .thenComparing(s -> -cheapest.indexOf(s)))
                .orElseThrow();
    }
}
