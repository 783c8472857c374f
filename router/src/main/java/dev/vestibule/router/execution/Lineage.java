package dev.vestibule.router.execution;

import dev.vestibule.router.planner.PlanNode;

/**
 * Which subgraph answers a request has merged into its data so far, in order: each as the plan node that merged it, the
 * number of the HTTP call it came from and, for an entity fetch, the lineage of the data its representations were
 * picked from (a parallel fetch may have merged in between). Merging is deterministic and nothing else writes the data,
 * so two requests with equal lineages hold equal data, and an entity fetch of the same plan node would pick the same
 * representations from it. That lets a request join another's entity fetch in flight without building its representations and request
 * body only to find them identical (under load nearly every entity fetch joins one: see docs/performance.md).
 * <p>
 * Immutable, so that a fetch keeps the lineage it saw while later merges extend the request's own. Nodes are compared
 * by identity: a cached plan is the same objects for every request that runs it.
 * <p>
 * Invariants (docs/architecture.md): merging is deterministic; subgraph answers shared between requests are read-only;
 * call numbers and plan nodes belong to one router, so lineages of different routers (before and after a reload)
 * never compare equal.
 */
final class Lineage {
    static final Lineage EMPTY = new Lineage(null, 0, null, null, 1);

    private final PlanNode node;
    private final long call;
    private final Lineage basis;
    private final Lineage parent;
    private final int hash;

    private Lineage(PlanNode node, long call, Lineage basis, Lineage parent, int hash) {
        this.node = node;
        this.call = call;
        this.basis = basis;
        this.parent = parent;
        this.hash = hash;
    }

    /**
     * This lineage followed by the answer of HTTP call {@code call}, merged by {@code node}; {@code basis} is the
     * lineage of the data the fetch's representations came from, null for a root fetch.
     */
    Lineage then(PlanNode node, long call, Lineage basis) {
        int h = (hash * 31 + System.identityHashCode(node)) * 31 + Long.hashCode(call);
        return new Lineage(node, call, basis, this, h * 31 + (basis == null ? 0 : basis.hash));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Lineage other) || other.hash != hash) return false;
        Lineage a = this;
        Lineage b = other;
        while (a != b) { // a shared tail is equal without walking it
            if (a == null || b == null || a.node != b.node || a.call != b.call
                    || (a.basis != b.basis && (a.basis == null || !a.basis.equals(b.basis)))) return false;
            a = a.parent;
            b = b.parent;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
