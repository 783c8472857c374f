package dev.vestibule.router.planner;

import dev.vestibule.router.operation.Selection;
import java.util.List;
import java.util.Set;

/**
 * A plan for one operation: the fetch tree (null when nothing needs a subgraph, e.g. only __typename or
 * introspection), the normalized selections the response is shaped by, and the field selections the caller may not
 * see (not planned; answered null with an error).
 */
public record QueryPlan(PlanNode root, List<Selection> selections, String rootType, int fetchCount,
                        Set<Selection.Field> denied) {
    public QueryPlan(PlanNode root, List<Selection> selections, String rootType, int fetchCount) {
        this(root, selections, rootType, fetchCount, Set.of());
    }

    @Override
    public String toString() {
        return PlanPrinter.print(this);
    }
}
