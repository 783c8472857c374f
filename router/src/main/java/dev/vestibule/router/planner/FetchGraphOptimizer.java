package dev.vestibule.router.planner;

import java.util.List;

/**
 * Planning's fourth stage: runs the fetch graph's passes, in order, until none changes it; then batches what is left
 * ({@link BatchEntityFetches}), so that no pair the passes could make one fetch is batched instead. Each pass removes,
 * merges or batches groups, so the graph only shrinks and the loops end.
 */
final class FetchGraphOptimizer {
    private final List<FetchGraphPass> passes;
    private final FetchGraphPass batching = new BatchEntityFetches();

    FetchGraphOptimizer(SubgraphCoverage coverage) {
        this.passes = List.of(new DeduplicateFetches(), new MergeUnionMemberFetches(coverage), new MergeSiblingFetches(coverage),
                new MergeSamePathFetches());
    }

    void optimize(FetchGraph graph) {
        boolean changed;
        do {
            changed = false;
            for (FetchGraphPass pass : passes) changed |= pass.apply(graph);
        } while (changed);
        while (batching.apply(graph)) {
            // one pair at a time, until no two fetches to one subgraph share a stage
        }
    }
}
