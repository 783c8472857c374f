package dev.vestibule.router.pipeline;

import java.util.Map;

/**
 * The headers each subgraph receives with one request's calls, by subgraph name (the header rules decide them, and the
 * identity headers the edge adds). They are part of what makes two subgraph calls the same: calls whose forwarded
 * headers differ are never joined (see {@code SubgraphClient} and {@code PlanExecutor}).
 */
@FunctionalInterface
public interface SubgraphHeaders {
    /** No headers for any subgraph. */
    SubgraphHeaders NONE = subgraph -> Map.of();

    /** What {@code subgraph} receives; never null. Called once per fetch, so it should not compute much. */
    Map<String, String> forSubgraph(String subgraph);

    /** The same headers for every subgraph. */
    static SubgraphHeaders same(Map<String, String> headers) {
        Map<String, String> copy = Map.copyOf(headers);
        return subgraph -> copy;
    }
}
