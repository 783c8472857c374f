package dev.vestibule.router.planner;

import static dev.vestibule.router.planner.SubgraphCoverage.normalize;
import static dev.vestibule.router.planner.SubgraphCoverage.typeName;

import dev.vestibule.router.operation.Selection;
import dev.vestibule.router.planner.SubgraphCoverage.Target;
import dev.vestibule.router.supergraph.SubgraphSchema;
import dev.vestibule.router.supergraph.SubgraphSchema.Key;
import dev.vestibule.router.supergraph.Supergraph;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ways a jump ({@link OperationWalker#jump}) can take to a subgraph that resolves a field, in the order it tries
 * them: the targets (subgraphs and their keys) ordered by what each answers itself, and the routes through keys whose
 * fields other subgraphs bring first. It answers from the supergraph alone; which route is taken, by trial walks where
 * there are several, is the walk's and {@link RouteTrials}'s. Apart from the walk so that the order of the options
 * reads in one place, apart from the planning of each.
 */
final class JumpRoutes {
    private final Supergraph supergraph;
    private final GraphQLSchema schema;
    private final SubgraphCoverage coverage;

    JumpRoutes(Supergraph supergraph, SubgraphCoverage coverage) {
        this.supergraph = supergraph;
        this.schema = supergraph.schema();
        this.coverage = coverage;
    }

    /**
     * Of targets in the same order of @requires, those whose subgraph answers the field's whole selection itself
     * first: a key jump to a subgraph that lacks part of it needs another hop from there ({@code productFromD {
     * category { id } }} through a subgraph whose Category has no id), which Apollo's planner does not make.
     */
    List<Target> servingFirst(List<Target> targets, Selection.Field field, GraphQLFieldDefinition definition, String jumpedBefore) {
        if (field.isLeaf() || targets.size() < 2) return targets;
        String type = typeName(definition.getType());
        Map<Target, Boolean> serving = new HashMap<>();
        for (Target target : targets) {
            List<Selection> provided = supergraph.subgraph(target.subgraph()).field(target.type(), field.name()).map(SubgraphCoverage::provides).orElse(null);
            serving.put(target, coverage.servesLocally(target.subgraph(), type, field.selections(), provided));
        }
        Map<Target, Boolean> oneHop = new HashMap<>();
        for (Target target : targets) oneHop.put(target, !serving.get(target) && reachesInOneHop(target.subgraph(), type, field.selections()));
        List<Target> sorted = new ArrayList<>(targets);
        sorted.sort(Comparator.comparing(Target::hasRequires).thenComparing(t -> !serving.get(t))
                .thenComparing(t -> !t.subgraph().equals(jumpedBefore)).thenComparing(t -> !oneHop.get(t)));
        return sorted;
    }

    /**
     * Whether the subgraph can send, for each field of the selection it does not resolve on the (object) type, a key
     * of a subgraph that does: what it lacks is one jump away. Among targets that serve the selection only in part,
     * those come first ({@code productFromD { category { name } }} in parent-entity-call-complex: b has Category's
     * id, c's key, and a does not; through a, a fetch of a asked only for category's __typename and b still had to
     * bring the id: 4 fetches where Apollo's planner makes 3).
     */
    boolean reachesInOneHop(String subgraphName, String type, List<Selection> selections) {
        if (!(schema.getType(type) instanceof GraphQLObjectType object)) return false;
        SubgraphSchema subgraph = supergraph.subgraph(subgraphName);
        for (Selection selection : selections) {
            if (selection instanceof Selection.Fragment fragment) {
                // a fragment on the type itself (or conditions only) asks for the same object's fields
                if (fragment.typeCondition() != null && !fragment.typeCondition().equals(type)) return false;
                if (!reachesInOneHop(subgraphName, type, fragment.selections())) return false;
                continue;
            }
            if (!(selection instanceof Selection.Field f)) return false;
            if (f.isTypename() || subgraph.resolves(type, f.name())) continue;
            boolean reached = coverage.targets(object, f.name()).stream().flatMap(next -> next.keys().stream())
                    .anyMatch(key -> coverage.canSelect(subgraphName, type, normalize(key.fields()), null));
            if (!reached) return false;
        }
        return true;
    }


    /**
     * A key of a target whose fields the current subgraph cannot select itself: they are planned from it like any
     * field (other subgraphs bring what it lacks) before the jump. {@code holdsField}: the key holds the field itself,
     * with another selection below it than asked ({@code selected { id }} in a key of the subgraph asked for
     * {@code selected { price }}): the key's part comes first from elsewhere.
     */
    record KeyRoute(Target target, List<Selection> keySelections, boolean holdsField) {
        /** The subgraph and key this route jumps through, whatever field it is for. */
        String through() {
            return target.subgraph() + "|" + target.type() + "|" + SelectionPrinter.compact(keySelections);
        }
    }

    /** The routes through one of {@code preferred} ({@link KeyRoute#through}) first, the rest in their order. */
    static List<KeyRoute> preferredFirst(List<KeyRoute> routes, Set<String> preferred) {
        List<KeyRoute> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparing((KeyRoute route) -> !preferred.contains(route.through())));
        return sorted;
    }

    /**
     * The routes through keys whose fields other subgraphs bring first, in the order of the targets: keys without the
     * field first, then keys that hold the field with another selection ({@link KeyRoute#holdsField}). A key that
     * holds the field as asked (or a leaf field) is none: its representation would need the field first.
     */
    static List<KeyRoute> indirectRoutes(List<Target> targets, Selection.Field field) {
        List<KeyRoute> routes = new ArrayList<>();
        List<KeyRoute> holdingField = new ArrayList<>();
        for (Target target : targets) {
            for (Key key : target.keys()) {
                List<Selection> keySelections = normalize(key.fields());
                if (!partOfKey(field, keySelections)) routes.add(new KeyRoute(target, keySelections, false));
                else if (holdsOtherwise(field, keySelections)) holdingField.add(new KeyRoute(target, keySelections, true));
            }
        }
        routes.addAll(holdingField);
        return routes;
    }

    /** Whether the key holds the (composite) field with another selection below it than the one asked. */
    static boolean holdsOtherwise(Selection.Field field, List<Selection> keySelections) {
        if (field.isLeaf()) return false;
        String asked = SelectionPrinter.compact(field.selections());
        for (Selection k : keySelections) {
            if (k instanceof Selection.Field f && f.name().equals(field.name())) {
                return !f.isLeaf() && f.arguments().isEmpty() && field.arguments().isEmpty() && !SelectionPrinter.compact(f.selections()).equals(asked);
            }
        }
        return false;
    }


    /** A key cannot fetch one of its own fields: its representation would need the field first. */
    static boolean partOfKey(Selection.Field field, List<Selection> keySelections) {
        return keySelections.stream().anyMatch(k -> k instanceof Selection.Field f && f.name().equals(field.name()));
    }
}
