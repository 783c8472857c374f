package dev.vestibule.router.planner;

import java.util.List;
import java.util.Objects;

/**
 * Two entity fetches to one subgraph for the same objects, one waiting (directly or through others) for the other: what
 * the later one asks that needs no @requires is asked by the earlier one instead. The walk plans fields in the order
 * the client wrote them, so a field written before a @requires field joins the fetch that will carry the requirement
 * ({@code { feed { comments(limit: 3) { authorId date } author { name } } }}: comments went to the fetch of author,
 * which waits for the stand-in fetch that asks comments for author's requirement, and authorId was asked once more
 * after it). Moved to the earlier fetch, the field arrives sooner, and the fetches below it (now waiting for the
 * earlier one) meet the requirement's own fetches in one stage, where the merging passes make one request of them.
 * The same objects: the same paths, one type, the same keys, so the earlier fetch's representations reach every object
 * the later one's do that the moved fields need (they need only the key). Fetches below a moved field wait for the
 * earlier fetch; the rest keep waiting for the later one, which runs after it.
 */
final class MoveFieldsToEarlierFetch implements FetchGraphPass {
    private final SubgraphCoverage coverage;

    MoveFieldsToEarlierFetch(SubgraphCoverage coverage) {
        this.coverage = coverage;
    }

    @Override
    public boolean apply(FetchGraph graph) {
        for (FetchGroup late : graph.groups) {
            if (!late.entityFetch) continue;
            for (FetchGroup early : graph.groups) {
                if (early == late || !sameObjects(early, late) || !FetchGraph.dependsOn(late, early)) continue;
                SelectionBuilder from = late.selection.fragmentOrNull(late.entityType);
                if (from == null) continue;
                List<String> moved = from.moveTo(early.body(), field -> !coverage.hasRequires(late.subgraph, late.entityType, field));
                if (moved.isEmpty()) continue;
                for (FetchGroup below : graph.groups) {
                    if (below != early && below.dependsOn.contains(late) && under(below, late.path, moved)) {
                        below.dependsOn.remove(late);
                        below.dependsOn.add(early);
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static boolean sameObjects(FetchGroup early, FetchGroup late) {
        if (!early.entityFetch || !early.subgraph.equals(late.subgraph) || !early.entityType.equals(late.entityType)) return false;
        if (!Objects.equals(early.representationTypename, late.representationTypename) || !early.paths().equals(late.paths())) return false;
        List<String> types = List.of(late.entityType);
        if (!early.types().equals(types) || !late.types().equals(types)) return false;
        return printed(early.keys).equals(printed(late.keys));
    }

    /** Whether every path of {@code group} is below one of the fields {@code keys} at {@code path}. */
    private static boolean under(FetchGroup group, List<String> path, List<String> keys) {
        for (List<String> p : group.paths()) {
            if (p.size() <= path.size() || !p.subList(0, path.size()).equals(path) || !keys.contains(p.get(path.size()))) return false;
        }
        return true;
    }

    private static String printed(SelectionBuilder builder) {
        return SelectionPrinter.compact(builder.freeze());
    }
}
