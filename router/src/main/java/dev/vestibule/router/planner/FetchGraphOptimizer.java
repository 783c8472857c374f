package dev.vestibule.router.planner;

import java.util.List;

/**
 * Planning's fourth stage: runs the fetch graph's passes, in order, until none changes it; then batches what is left
 * ({@link BatchEntityFetches}), so that no pair the passes could make one fetch is batched instead. Each pass removes
 * or merges groups, or moves fields from a fetch to one that runs before it (never back), and batching only joins
 * groups, so the loops end. The merging passes run to the end first, {@link MoveFieldsToEarlierFetch} only then: a
 * field moved earlier takes the fetches below it to an earlier stage, which helps where they meet fetches they can
 * merge with there, but must not undo a merge they already made in their own stage ({@code { feed { a2: author { name
 * } } feed { byExpert } }}: name's fetch merged with byExpert's, 5 fetches; moved first, name's fetch met only one it
 * cannot merge with, 6).
 */
final class FetchGraphOptimizer {
    private final List<FetchGraphPass> merging;
    private final List<FetchGraphPass> all;
    private final FetchGraphPass batching = new BatchEntityFetches();

    FetchGraphOptimizer(SubgraphCoverage coverage) {
        this.merging = List.of(new DeduplicateFetches(), new DropCoveredFetches(coverage), new MergeUnionMemberFetches(coverage),
                new MergeSiblingFetches(coverage), new MergeSamePathFetches());
        this.all = List.of(merging.get(0), merging.get(1), new MoveFieldsToEarlierFetch(coverage), new MoveNestedFieldsToEarlierFetch(coverage),
                merging.get(2), merging.get(3), merging.get(4));
    }

    void optimize(FetchGraph graph) {
        runUntilStable(merging, graph);
        runUntilStable(all, graph);
        while (batching.apply(graph)) {
            // one pair at a time, until no two fetches to one subgraph share a stage
        }
    }

    private static void runUntilStable(List<FetchGraphPass> passes, FetchGraph graph) {
        boolean changed;
        do {
            changed = false;
            for (FetchGraphPass pass : passes) changed |= pass.apply(graph);
        } while (changed);
    }
}
