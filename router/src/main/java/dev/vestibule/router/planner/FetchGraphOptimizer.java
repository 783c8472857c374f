package dev.vestibule.router.planner;

import java.util.List;

/**
 * Planning's fourth stage: runs the fetch graph's passes, in order, until none changes it. Each pass removes or merges
 * groups, or moves fields from a fetch to one that runs before it (never back), so the loop ends.
 */
final class FetchGraphOptimizer {
    private final List<FetchGraphPass> passes;

    FetchGraphOptimizer(SubgraphCoverage coverage) {
        this.passes = List.of(new DeduplicateFetches(), new MoveFieldsToEarlierFetch(coverage), new MergeUnionMemberFetches(coverage), new MergeSiblingFetches(coverage),
                new MergeSamePathFetches());
    }

    void optimize(FetchGraph graph) {
        boolean changed;
        do {
            changed = false;
            for (FetchGraphPass pass : passes) changed |= pass.apply(graph);
        } while (changed);
    }
}
