package dev.vestibule.router.planner;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * What a fetch graph costs, for choosing between plans: first the subgraph requests it sends, then the stages it
 * waits through, then the fields asked through entity fetches (each is work a subgraph does for a representation the
 * router had to build and send). Lower is cheaper, compared in that order.
 */
record PlanCost(int fetches, int stages, int entityFields) implements Comparable<PlanCost> {

    static PlanCost of(FetchGraph graph) {
        Map<FetchGroup, Integer> depths = new HashMap<>();
        int stages = 0;
        int entityFields = 0;
        for (FetchGroup group : graph.groups) {
            stages = Math.max(stages, PlanEmitter.depth(group, depths, new LinkedHashSet<>()) + 1);
            if (group.entityFetch) entityFields += group.selection.fieldCount();
            for (FetchGroup part : group.batched) entityFields += part.selection.fieldCount();
        }
        return new PlanCost(graph.groups.size(), stages, entityFields);
    }

    @Override
    public int compareTo(PlanCost other) {
        if (fetches != other.fetches) return Integer.compare(fetches, other.fetches);
        if (stages != other.stages) return Integer.compare(stages, other.stages);
        return Integer.compare(entityFields, other.entityFields);
    }
}
