package dev.vestibule.router.planner;

import dev.vestibule.router.operation.Selection;
import java.util.List;
import java.util.Objects;

/**
 * Entity fetches to one subgraph for the same objects, in the same stage, that the walk reached from different
 * parents: one request asking what both ask. {@code { anotherUsers { username ... on User { username } } }} asks an
 * interface object's username once through the interface and once through the implementation's fragment (after the
 * fetch that tells the implementation); Apollo's and Hive's planners send it once. The same objects: the same paths,
 * the same types, each type with the same key and requirements (or, for a representation named after an interface
 * object, every fragment carrying the same fields), so the representations are those either fetch sent.
 * The merged fetch waits for what both waited for, all in earlier stages (both were in the same stage), so no fetch
 * moves to another stage; what waited for either waits for it.
 */
final class MergeSamePathFetches implements FetchGraphPass {
    @Override
    public boolean apply(FetchGraph graph) {
        return graph.mergeFirstSameStagePair((a, b) -> a.paths().equals(b.paths()) && sameObjects(a, b));
    }

    private static boolean sameObjects(FetchGroup a, FetchGroup b) {
        if (!Objects.equals(a.representationTypename, b.representationTypename) || !a.argumentsAgree(b)) return false;
        if (a.types().equals(b.types())) {
            for (String type : a.types()) if (!a.carriesAlike(b, type)) return false;
        } else if (a.representationTypename == null || !a.selection.typeConditions().equals(b.selection.typeConditions())
                || a.carriedShapes().size() != 1 || !a.carriedShapes().equals(b.carriedShapes())) {
            // Fragments on other types are the same objects only where every one carries the same fields and the
            // representation is named after the entity fetched (an interface object): then each object at the path
            // is sent alike whichever fragment it matches, and is asked the same selection.
            return false;
        }
        // Merged, the fetch is skipped only where both were: where one is sent under all the conditions of the other
        // (or under none), the merged one is sent exactly when that one is, so no request is added for any variables.
        List<Selection.Condition> conditionsOfA = a.selection.requiredConditions();
        List<Selection.Condition> conditionsOfB = b.selection.requiredConditions();
        if (!conditionsOfA.containsAll(conditionsOfB) && !conditionsOfB.containsAll(conditionsOfA)) return false;
        // one response key asked with other arguments cannot be one selection
        SelectionBuilder probe = new SelectionBuilder();
        try {
            probe.addAll(a.selection);
            probe.addAll(b.selection);
        } catch (PlanningException conflicting) {
            return false;
        }
        return true;
    }
}
