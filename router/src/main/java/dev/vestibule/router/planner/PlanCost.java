package dev.vestibule.router.planner;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What a fetch graph costs, for choosing between plans: first the subgraph requests it sends, then the stages it
 * waits through, then how deep below lists its entity fetches are (each list level multiplies the representations
 * the router builds and sends: one Book's instead of one per Dog in its animals, as Apollo's planner weighs it), then
 * the fields asked through entity fetches (each is work a subgraph does for a representation the router had to build
 * and send). Lower is cheaper, compared in that order.
 *
 * <p>A plan is made once for every value of the operation's variables, so a fetch that is sent only when its
 * @skip/@include conditions hold ({@link PlanEmitter#conditionsOf}: all it asks is under them) counts half a request
 * ({@code halfRequests} counts the others twice, it once); on a tie, the plan that sends fewer requests whatever the
 * variables wins. Counting every fetch as one took a route that moves conditional fields into a fetch sent always
 * (5 requests whatever {@code $v} is) over one with 4 always and 2 only when {@code $v} holds.
 */
record PlanCost(int halfRequests, int unconditionalFetches, int stages, int listDepth, int entityFields) implements Comparable<PlanCost> {

    static PlanCost of(FetchGraph graph) {
        Map<FetchGroup, Integer> depths = new HashMap<>();
        int stages = 0;
        int entityFields = 0;
        int unconditional = 0;
        int listDepth = 0;
        for (FetchGroup group : graph.groups) {
            stages = Math.max(stages, PlanEmitter.depth(group, depths, new LinkedHashSet<>()) + 1);
            if (group.entityFetch) {
                entityFields += group.selection.fieldCount();
                listDepth += listDepth(group);
            }
            for (FetchGroup part : group.batched) {
                entityFields += part.selection.fieldCount();
                listDepth += listDepth(part);
            }
            if (PlanEmitter.conditionsOf(group).isEmpty()) unconditional++;
        }
        int fetches = graph.groups.size();
        return new PlanCost(fetches + unconditional, unconditional, stages, listDepth, entityFields);
    }

    /** This cost with one request sent whatever the variables fewer: a root fetch that another one carries. */
    PlanCost withOneRequestShared() {
        return new PlanCost(halfRequests - 2, unconditionalFetches - 1, stages, listDepth, entityFields);
    }

    /**
     * This cost with half a request fewer: a root fetch sent whatever the variables that another one, sent only under
     * conditions, carries where they hold (that one is then sent always, this one no more).
     */
    PlanCost withHalfRequestShared() {
        return new PlanCost(halfRequests - 1, unconditionalFetches, stages, listDepth, entityFields);
    }

    /** The lists an entity fetch's paths go through, summed over its paths: each is a level of representations. */
    static int listDepth(FetchGroup group) {
        int depth = 0;
        for (List<String> path : group.paths()) depth += lists(path);
        return depth;
    }

    /** The lists a response path goes through. */
    static int lists(List<String> path) {
        int lists = 0;
        for (String step : path) if (step.equals("@")) lists++;
        return lists;
    }

    @Override
    public int compareTo(PlanCost other) {
        if (halfRequests != other.halfRequests) return Integer.compare(halfRequests, other.halfRequests);
        if (unconditionalFetches != other.unconditionalFetches) return Integer.compare(unconditionalFetches, other.unconditionalFetches);
        if (stages != other.stages) return Integer.compare(stages, other.stages);
        if (listDepth != other.listDepth) return Integer.compare(listDepth, other.listDepth);
        return Integer.compare(entityFields, other.entityFields);
    }
}
