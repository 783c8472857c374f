package dev.vestibule.router.planner;

import dev.vestibule.router.operation.Selection;
import java.util.List;

/**
 * A plan for one operation: the fetch tree (null when nothing needs a subgraph, e.g. only __typename or
 * introspection) and the normalized selections the response is shaped by.
 */
public record QueryPlan(PlanNode root, List<Selection> selections, String rootType, int fetchCount) {
    @Override
    public String toString() {
        return PlanPrinter.print(this);
    }
}
