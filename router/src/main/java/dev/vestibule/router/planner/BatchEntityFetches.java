package dev.vestibule.router.planner;

/**
 * Entity fetches to one subgraph in the same stage that the merging passes left apart (their representations differ:
 * {@code { products { shippingEstimate shippingEstimateEUR } }} needs {@code price(currency: "USD")} in one and
 * {@code price(currency: "EUR")} in the other, which one representation cannot carry under one key): one HTTP request,
 * each an {@code _entities} field under an alias with its own representations, as Hive's planner sends them
 * ({@code BatchFetch}). The executor collects and merges each part as it would a fetch sent alone. Parts under other
 * {@code @skip}/{@code @include} conditions are batched too: the node is under the conditions all parts share, each
 * part under its own others (a part whose conditions do not hold is sent no representations).
 * Runs after the merging passes are done ({@link FetchGraphOptimizer}): a pair they can make one fetch is not batched.
 */
final class BatchEntityFetches implements FetchGraphPass {
    @Override
    public boolean apply(FetchGraph graph) {
        return graph.batchFirstSameStagePair((a, b) -> true);
    }
}
