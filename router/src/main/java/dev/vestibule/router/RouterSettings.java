package dev.vestibule.router;

import java.time.Duration;

/**
 * The router's behaviour settings (defaults in {@link #DEFAULTS}): introspection on or off, subgraph errors masked
 * or passed through, the time a subgraph and a whole request may take, connections per subgraph, cache sizes, the
 * request body limit, development mode.
 */
public record RouterSettings(boolean introspection, boolean exposeSubgraphErrors, Duration subgraphTimeout,
                             Duration requestTimeout, int connectionsPerSubgraph, int planCacheSize,
                             int documentCacheSize, long maxBodyBytes, boolean devMode) {
    public static final RouterSettings DEFAULTS = new RouterSettings(true, false, Duration.ofSeconds(30),
            Duration.ofSeconds(60), 256, 2_000, 2_000, 2 * 1024 * 1024, false);

    public RouterSettings withSubgraphTimeout(Duration timeout) {
        return new RouterSettings(introspection, exposeSubgraphErrors, timeout, requestTimeout, connectionsPerSubgraph,
                planCacheSize, documentCacheSize, maxBodyBytes, devMode);
    }

    /** The most a whole request may take; fetches still running then are abandoned with an error. */
    public RouterSettings withRequestTimeout(Duration timeout) {
        return new RouterSettings(introspection, exposeSubgraphErrors, subgraphTimeout, timeout, connectionsPerSubgraph,
                planCacheSize, documentCacheSize, maxBodyBytes, devMode);
    }

    public RouterSettings withIntrospection(boolean enabled) {
        return new RouterSettings(enabled, exposeSubgraphErrors, subgraphTimeout, requestTimeout, connectionsPerSubgraph,
                planCacheSize, documentCacheSize, maxBodyBytes, devMode);
    }

    public RouterSettings withExposeSubgraphErrors(boolean expose) {
        return new RouterSettings(introspection, expose, subgraphTimeout, requestTimeout, connectionsPerSubgraph,
                planCacheSize, documentCacheSize, maxBodyBytes, devMode);
    }

    public RouterSettings withMaxBodyBytes(long bytes) {
        return new RouterSettings(introspection, exposeSubgraphErrors, subgraphTimeout, requestTimeout, connectionsPerSubgraph,
                planCacheSize, documentCacheSize, bytes, devMode);
    }

    /** Development mode: a request with the header {@code x-vestibule-query-plan: true} gets its plan in extensions. */
    public RouterSettings withDevMode(boolean dev) {
        return new RouterSettings(introspection, exposeSubgraphErrors, subgraphTimeout, requestTimeout, connectionsPerSubgraph,
                planCacheSize, documentCacheSize, maxBodyBytes, dev);
    }
}
