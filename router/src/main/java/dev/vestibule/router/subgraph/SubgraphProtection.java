package dev.vestibule.router.subgraph;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A protection limit per subgraph: at most {@code limit} fetches per {@code per} from this router instance (bursts
 * to {@code burst}). A fetch over it is not sent; it fails like an unavailable subgraph (SUBGRAPH_RATE_LIMITED), so
 * the other subgraphs' data still comes back with errors at the right paths.
 */
public final class SubgraphProtection {
    public record Limit(long limit, Duration per, long burst) {}

    public static final SubgraphProtection NONE = new SubgraphProtection(Map.of());

    private final Map<String, Bucket> buckets = new LinkedHashMap<>();

    public SubgraphProtection(Map<String, Limit> limits) {
        limits.forEach((subgraph, limit) -> buckets.put(subgraph, Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit.burst()).refillGreedy(limit.limit(), limit.per()).build()).build()));
    }

    /** Takes one fetch from the subgraph's allowance, or fails without calling it. */
    public void acquire(String subgraph) throws SubgraphFailure {
        Bucket bucket = buckets.get(subgraph);
        if (bucket != null && !bucket.tryConsume(1)) {
            throw new SubgraphFailure("SUBGRAPH_RATE_LIMITED", "subgraph " + subgraph
                    + " is over its protection limit; the fetch was not sent", null);
        }
    }
}
