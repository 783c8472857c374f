package dev.vestibule.router.planner;

/**
 * Two entity fetches for the same objects, one waiting (directly or through others) for the other: the leaf fields the
 * later one asks below an object field ({@code selected}) that the earlier one's subgraph answers itself, object field
 * and leaves, are asked by the earlier one instead, where the later one still asks something there. Where the earlier
 * one does not select that object field yet, it gets it (without arguments only: its subgraph may define other
 * ones), as {@code first { pid }} beside list's {@code selected { id }}. The walk sends
 * a field through a key to the subgraph that answers the most of its selection ({@code selected { pid price { price }
 * }} to price, through ProductList's key whose {@code selected { id }} list brings): list answers {@code pid} too, in
 * the fetch it makes anyway. No fetch more or less, but the field arrives a stage sooner, and it does not depend on
 * the later subgraph: with price failing, {@code pid} is still answered (the differential's fault injection on
 * complex-entity-call; Apollo's planner asks it of list).
 */
final class MoveNestedFieldsToEarlierFetch implements FetchGraphPass {
    private final SubgraphCoverage coverage;

    MoveNestedFieldsToEarlierFetch(SubgraphCoverage coverage) {
        this.coverage = coverage;
    }

    @Override
    public boolean apply(FetchGraph graph) {
        for (FetchGroup late : graph.groups) {
            if (!late.entityFetch || !late.batched.isEmpty() || late.types().size() != 1) continue;
            SelectionBuilder from = late.selection.fragmentOrNull(late.entityType);
            if (from == null) continue;
            for (FetchGroup early : graph.groups) {
                if (early == late || !early.entityFetch || !early.batched.isEmpty() || !early.entityType.equals(late.entityType)
                        || early.types().size() != 1 || !early.paths().equals(late.paths()) || !FetchGraph.dependsOn(late, early)) {
                    continue;
                }
                SelectionBuilder into = early.selection.fragmentOrNull(early.entityType);
                if (into == null) continue;
                String subgraph = early.subgraph;
                if (from.moveNestedLeavesTo(into, early.entityType, (type, field) -> coverage.objectFieldType(subgraph, type, field),
                        (type, field) -> coverage.answersLeaf(subgraph, type, field))) {
                    return true;
                }
            }
        }
        return false;
    }
}
