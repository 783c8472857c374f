package dev.vestibule.router.planner;

/**
 * One optimisation of the fetch graph, in a file of its own (as Hive Router's {@code optimize/} passes). A pass
 * changes the graph only where the plan stays equivalent: the same data reaches the same objects, no fetch runs before
 * what it needs.
 */
interface FetchGraphPass {
    /** Applies the pass once; returns whether the graph changed (the optimizer runs the passes until none does). */
    boolean apply(FetchGraph graph);
}
