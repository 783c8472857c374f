package dev.vestibule.router.planner;

import java.util.List;
import java.util.Objects;

/**
 * Removes an entity fetch for objects another fetch to the same subgraph is sent for too, which asks what it asked
 * besides its own: representations named after an interface object, one fetch's for every object at the paths (its
 * fragment on the interface itself), the other's for some implementations only, each carrying the same fields.
 * {@code { accounts { ... on Regular { isActive } isActive } }}: c's Account.isActive was asked of every account, and
 * once more of the Regular ones after the fetch that tells which are Regular (4 fetches where Apollo's planner makes
 * 3); with {@code ... on Regular { a2: isActive }} the one for every account asks a2 too, as Apollo's planner does (the
 * response takes it only from the Regular ones, as the client's fragment says). The one that stays is sent whenever
 * the other would be (its conditions are among the other's) and does not wait for it; what waited for the removed one
 * waits for it, and for what the removed one waited for.
 */
final class DropCoveredFetches implements FetchGraphPass {
    private final SubgraphCoverage coverage;

    DropCoveredFetches(SubgraphCoverage coverage) {
        this.coverage = coverage;
    }

    @Override
    public boolean apply(FetchGraph graph) {
        for (FetchGroup covered : graph.groups) {
            if (!covered.entityFetch || !covered.batched.isEmpty() || covered.representationTypename == null) continue;
            boolean waitedFor = graph.groups.stream().anyMatch(g -> g.dependsOn.contains(covered));
            for (FetchGroup cover : graph.groups) {
                if (cover != covered && covers(cover, covered, waitedFor)) {
                    drop(graph, covered, cover);
                    return true;
                }
            }
        }
        return false;
    }

    private boolean covers(FetchGroup cover, FetchGroup covered, boolean waitedFor) {
        if (!cover.entityFetch || !cover.batched.isEmpty() || !cover.subgraph.equals(covered.subgraph)
                || !cover.entityType.equals(covered.entityType) || !cover.paths().equals(covered.paths())) return false;
        String named = cover.representationTypename;
        if (!Objects.equals(named, covered.representationTypename) || !cover.argumentsAgree(covered)) return false;
        // the cover's representations: every object at the paths, by its fragment on the interface itself
        if (!cover.keys.typeConditions().equals(List.of(named)) || !cover.requires.typeConditions().equals(List.of(named))) return false;
        for (String type : covered.keys.typeConditions()) if (!coverage.matches(named, type)) return false;
        for (String type : covered.requires.typeConditions()) if (!coverage.matches(named, type)) return false;
        // each object sent alike by both
        if (cover.carriedShapes().size() != 1 || !cover.carriedShapes().equals(covered.carriedShapes())) return false;
        if (!covered.selection.requiredConditions().containsAll(cover.selection.requiredConditions())) return false;
        if (FetchGraph.dependsOn(cover, covered)) return false;
        // what it asks beyond the cover's selection the cover asks too: one response key asked with other arguments
        // cannot be one selection; and not where fetches wait for it (below it, they would be sent representations
        // of every object the cover is for)
        SelectionBuilder both = new SelectionBuilder();
        try {
            both.addAll(cover.selection);
            both.addAll(covered.selection);
        } catch (PlanningException conflicting) {
            return false;
        }
        return !waitedFor || SelectionPrinter.compact(both.freeze()).equals(SelectionPrinter.compact(cover.selection.freeze()));
    }

    private static void drop(FetchGraph graph, FetchGroup covered, FetchGroup cover) {
        cover.selection.addAll(covered.selection);
        cover.requiredArguments.putAll(covered.requiredArguments);
        graph.groups.remove(covered);
        for (FetchGroup group : graph.groups) {
            if (!group.dependsOn.remove(covered)) continue;
            group.dependsOn.addAll(covered.dependsOn);
            if (group != cover) group.dependsOn.add(cover);
            group.dependsOn.remove(group);
        }
    }
}
