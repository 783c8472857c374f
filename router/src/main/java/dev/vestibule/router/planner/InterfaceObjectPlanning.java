package dev.vestibule.router.planner;

import static dev.vestibule.router.planner.OperationWalker.addAll;
import static dev.vestibule.router.planner.OperationWalker.addKeys;
import static dev.vestibule.router.planner.SubgraphCoverage.normalize;

import dev.vestibule.router.operation.Selection;
import dev.vestibule.router.planner.SubgraphCoverage.Target;
import dev.vestibule.router.supergraph.SubgraphSchema.Key;
import dev.vestibule.router.supergraph.SubgraphSchema.TypeInSubgraph;
import dev.vestibule.router.supergraph.Supergraph;
import graphql.schema.GraphQLInterfaceType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The walk's planning at an interface that the current subgraph only knows as an @interfaceObject
 * ({@link OperationWalker#planSelections} hands such a position here): the subgraph that owns the interface is asked
 * for each object's real type and for the fragments on its implementations, and fetches answering the same response
 * key from both sides are ordered. Apart from the walk because it is one federation feature with its own rules, which
 * the rest of the walk never meets; it keeps no state of its own and plans through the walk it is given.
 */
final class InterfaceObjectPlanning {
    private InterfaceObjectPlanning() {}

    /**
     * At an interface that this subgraph only knows as an @interfaceObject, objects come back named after the
     * interface. The subgraph that owns the interface tells each object's real type (and answers fragments on
     * the implementations); the interface's own fields are planned as usual.
     */
    static boolean plan(OperationWalker walk, FetchGroup group, GraphQLInterfaceType iface, List<Selection> selections,
                        SelectionBuilder out, List<String> path, List<Selection> provided, Set<FetchGroup> producers) {
        SubgraphCoverage coverage = walk.coverage;
        Supergraph supergraph = walk.supergraph;
        if (!coverage.needsConcreteType(iface.getName(), selections)) return false; // the interface's fields are enough
        // no object type implements it: the owner can name no type (nor can it be asked, ... on Iface is no _Entity
        // member), and the response shaper answers such a value null with an error
        if (coverage.implementationLess(iface)) return false;
        for (var s : supergraph.subgraphs()) {
            TypeInSubgraph owner = supergraph.subgraph(s.name()).type(iface.getName()).orElse(null);
            if (owner == null || owner.interfaceObject() || owner.resolvableKeys().isEmpty()) continue;
            for (Key key : owner.resolvableKeys()) {
                List<Selection> keySelections = normalize(key.fields());
                if (!coverage.canSelect(group.subgraph, iface.getName(), keySelections, provided)) continue;
                out.typename();
                addAll(out, keySelections); // selectable here (checked above); planning them would come back here
                FetchGroup child = walk.graph.entityGroup(new Target(s.name(), iface.getName(), owner.resolvableKeys(), iface.getName(), false), path, group);
                SelectionBuilder requires = child.requires.fragment(iface.getName());
                requires.typename();
                addAll(requires, keySelections);
                addKeys(child, iface.getName(), keySelections);
                // wanted only where the conditions hold, as the rest of it, and where the selections need it
                SelectionBuilder concrete = walk.underConditions(child.body());
                // one condition per fragment: a fragment can carry @skip (or @include) only once
                for (Selection.Condition condition : coverage.concreteTypeConditions(iface.getName(), selections)) {
                    concrete = concrete.conditional(List.of(condition));
                }
                concrete.typename();
                producers.add(child);
                Map<String, Set<FetchGroup>> interfaceFieldProducers = new HashMap<>();
                Set<FetchGroup> implementationProducers = new LinkedHashSet<>();
                for (Selection selection : selections) {
                    switch (selection) {
                        case Selection.Field f -> {
                            Set<FetchGroup> fieldProducers = new LinkedHashSet<>();
                            walk.planField(group, iface, f, out, path, provided, fieldProducers);
                            producers.addAll(fieldProducers);
                            if (!f.isTypename()) interfaceFieldProducers.computeIfAbsent(f.responseKey(), k -> new LinkedHashSet<>()).addAll(fieldProducers);
                        }
                        // A fragment that needs no concrete type inside is planned as usual: its fields were
                        // otherwise lost (a condition around fields of the interface only).
                        case Selection.Fragment f when f.isConditional() -> {
                            boolean planned;
                            Set<FetchGroup> conditionalProducers = new LinkedHashSet<>();
                            walk.conditions.add(f.conditions());
                            try {
                                planned = plan(walk, group, iface, List.of(f.withoutConditions()), out.conditional(f.conditions()),
                                        path, provided, conditionalProducers);
                            } finally {
                                walk.conditions.remove(walk.conditions.size() - 1);
                            }
                            if (!planned) walk.planFragment(group, iface, f, out, path, provided, conditionalProducers);
                            producers.addAll(conditionalProducers);
                            nestedProducers(iface, f, conditionalProducers, interfaceFieldProducers, implementationProducers);
                        }
                        case Selection.Fragment f when f.typeCondition() == null || f.typeCondition().equals(iface.getName()) -> {
                            Set<FetchGroup> nested = new LinkedHashSet<>();
                            if (!plan(walk, group, iface, f.selections(), out, path, provided, nested)) {
                                walk.planFragment(group, iface, f, out, path, provided, nested);
                            }
                            producers.addAll(nested);
                            nestedProducers(iface, f, nested, interfaceFieldProducers, implementationProducers);
                        }
                        case Selection.Fragment f -> {
                            Set<FetchGroup> fragmentProducers = new LinkedHashSet<>();
                            walk.planFragment(child, iface, f, walk.underConditions(child.body()), path, null, fragmentProducers);
                            producers.addAll(fragmentProducers);
                            implementationProducers.addAll(fragmentProducers);
                        }
                    }
                }
                answerAfterInterfaceObject(iface, selections, interfaceFieldProducers, implementationProducers);
                return true;
            }
        }
        return false;
    }

    /**
     * Where the client asks a field of the interface and, under a fragment on an implementation, the same response key
     * ({@code accounts { isActive ... on Admin { isActive } }}), two subgraphs may answer it for the same object: the
     * interface object's (for every object: it cannot tell the implementations apart) and the implementation's own.
     * Both references answer the implementation's value for the objects the fragment names, and the federation spec
     * makes either valid (the field is shareable); asked in one parallel stage, the value would be whichever answer
     * came last. So the fetches answering the fragment wait for those answering the interface's field: the
     * implementation's answer is merged last and is the one the client gets for those objects, the interface object's
     * stays for the others. One more stage, only where the keys meet.
     */
    private static void answerAfterInterfaceObject(GraphQLInterfaceType iface, List<Selection> selections,
                                                  Map<String, Set<FetchGroup>> interfaceFieldProducers,
                                                  Set<FetchGroup> implementationProducers) {
        Set<String> implementationKeys = new HashSet<>();
        responseKeys(iface, selections, false, new HashSet<>(), implementationKeys);
        for (String key : implementationKeys) {
            for (FetchGroup earlier : interfaceFieldProducers.getOrDefault(key, Set.of())) {
                for (FetchGroup later : implementationProducers) {
                    if (later == earlier || later.subgraph.equals(earlier.subgraph) || FetchGraph.dependsOn(later, earlier)
                            || FetchGraph.dependsOn(earlier, later)) continue;
                    later.dependsOn.add(earlier);
                }
            }
        }
    }

    /**
     * Counts the fetches planned for a fragment on the interface (or a condition around fields) among those answering
     * its interface's keys and its implementations' keys: what it holds may meet keys selected outside it, either way
     * round. (A fetch in both sets is never ordered after itself.)
     */
    private static void nestedProducers(GraphQLInterfaceType iface, Selection.Fragment fragment, Set<FetchGroup> nested,
                                        Map<String, Set<FetchGroup>> interfaceFieldProducers, Set<FetchGroup> implementationProducers) {
        Set<String> interfaceKeys = new HashSet<>();
        responseKeys(iface, fragment.selections(), false, interfaceKeys, new HashSet<>());
        for (String key : interfaceKeys) interfaceFieldProducers.computeIfAbsent(key, k -> new LinkedHashSet<>()).addAll(nested);
        implementationProducers.addAll(nested);
    }

    /**
     * The response keys selected at this level (__typename left out): on the interface, and under fragments on types
     * other than {@code iface} (its implementations).
     */
    private static void responseKeys(GraphQLInterfaceType iface, List<Selection> selections, boolean underImplementation,
                                     Set<String> interfaceKeys, Set<String> implementationKeys) {
        for (Selection selection : selections) {
            switch (selection) {
                case Selection.Field f -> {
                    if (!f.isTypename()) (underImplementation ? implementationKeys : interfaceKeys).add(f.responseKey());
                }
                case Selection.Fragment f -> responseKeys(iface, f.selections(), underImplementation
                        || (f.typeCondition() != null && !f.typeCondition().equals(iface.getName())), interfaceKeys, implementationKeys);
            }
        }
    }
}
