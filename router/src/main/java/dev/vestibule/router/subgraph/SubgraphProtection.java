package dev.vestibule.router.subgraph;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A protection limit per subgraph: at most {@code limit} calls per {@code per} from this router instance (bursts
 * to {@code burst}). A call over it is not sent; it fails like an unavailable subgraph (SUBGRAPH_RATE_LIMITED), so
 * the other subgraphs' data still comes back with errors at the right paths. Applied by {@link ProtectedTransport}
 * to the calls that go out (a fetch that joins one in flight takes no permit).
 */
public final class SubgraphProtection {
    public record Limit(long limit, Duration per, long burst) {}

    public static final SubgraphProtection NONE = new SubgraphProtection(Map.of());

    private final Map<String, Bucket> buckets = new LinkedHashMap<>();

    public SubgraphProtection(Map<String, Limit> limits) {
        limits.forEach((subgraph, limit) -> buckets.put(subgraph, Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit.burst()).refillGreedy(limit.limit(), limit.per()).build()).build()));
    }

    /** Whether no subgraph has a limit. */
    public boolean limitsNothing() {
        return buckets.isEmpty();
    }

    /** Takes one call from the subgraph's allowance, or fails without calling it. */
    public void acquire(String subgraph) throws SubgraphFailure {
        Bucket bucket = buckets.get(subgraph);
        if (bucket != null && !bucket.tryConsume(1)) {
            throw new SubgraphFailure("SUBGRAPH_RATE_LIMITED", "subgraph " + subgraph
                    + " is over its protection limit; the fetch was not sent", null);
        }
    }
}
