package dev.vestibule.router;

import java.time.Duration;

/**
 * The router's behaviour settings (defaults in {@link #DEFAULTS}): introspection on or off, subgraph errors masked
 * or passed through, the time a subgraph may take, connections per subgraph, cache sizes, the request body limit.
 */
public record RouterSettings(boolean introspection, boolean exposeSubgraphErrors, Duration subgraphTimeout,
                             int connectionsPerSubgraph, int planCacheSize, int documentCacheSize, long maxBodyBytes) {
    public static final RouterSettings DEFAULTS = new RouterSettings(true, false, Duration.ofSeconds(30), 64,
            2_000, 2_000, 2 * 1024 * 1024);

    public RouterSettings withSubgraphTimeout(Duration timeout) {
        return new RouterSettings(introspection, exposeSubgraphErrors, timeout, connectionsPerSubgraph, planCacheSize,
                documentCacheSize, maxBodyBytes);
    }

    public RouterSettings withIntrospection(boolean enabled) {
        return new RouterSettings(enabled, exposeSubgraphErrors, subgraphTimeout, connectionsPerSubgraph, planCacheSize,
                documentCacheSize, maxBodyBytes);
    }

    public RouterSettings withExposeSubgraphErrors(boolean expose) {
        return new RouterSettings(introspection, expose, subgraphTimeout, connectionsPerSubgraph, planCacheSize,
                documentCacheSize, maxBodyBytes);
    }

    public RouterSettings withMaxBodyBytes(long bytes) {
        return new RouterSettings(introspection, exposeSubgraphErrors, subgraphTimeout, connectionsPerSubgraph, planCacheSize,
                documentCacheSize, bytes);
    }
}
