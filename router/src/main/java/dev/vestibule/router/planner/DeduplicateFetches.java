package dev.vestibule.router.planner;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes what would be sent for nothing: a fetch left without a selection (an alternative the walk abandoned, or one
 * whose every selection was pruned away: a literal @skip, a type the subgraph never returns there), and an entity
 * fetch that asks exactly what another one asks, of the same objects, after the same fetches (the later one goes;
 * what waited for it waits for the first).
 */
final class DeduplicateFetches implements FetchGraphPass {
    @Override
    public boolean apply(FetchGraph graph) {
        boolean changed = false;
        for (FetchGroup group : List.copyOf(graph.groups)) {
            if (group.selection.prune()) {
                graph.remove(group);
                changed = true;
            }
        }
        Map<String, FetchGroup> seen = new HashMap<>();
        for (FetchGroup group : List.copyOf(graph.groups)) {
            if (!group.entityFetch) continue; // root fetches: a mutation's are each sent, in order; a query's never repeat
            String shape = group.subgraph + "|" + group.paths() + "|" + group.representationTypename + "|"
                    + SelectionPrinter.compact(group.selection.freeze()) + "|" + SelectionPrinter.compact(group.requires.freeze())
                    + "|" + SelectionPrinter.compact(group.keys.freeze()) + "|" + group.dependsOn.stream().map(g -> g.id).sorted().toList();
            FetchGroup first = seen.putIfAbsent(shape, group);
            if (first != null) {
                graph.merge(first, group);
                changed = true;
            }
        }
        return changed;
    }
}
