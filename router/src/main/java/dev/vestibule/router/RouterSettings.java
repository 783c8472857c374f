package dev.vestibule.router;

import dev.vestibule.router.operation.OperationLimits;
import dev.vestibule.router.subgraph.OkHttpTransport;
import dev.vestibule.router.subgraph.SubgraphConnections;
import dev.vestibule.router.subgraph.SubgraphProtection;
import dev.vestibule.router.subgraph.traffic.TrafficShaping;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The engine's settings (defaults in {@link #DEFAULTS}): introspection on or off, subgraph errors masked or passed
 * through, the time a subgraph and a whole request may take, connections per subgraph and how long one may stay
 * idle, cache sizes, operation limits, per-subgraph protection limits, in-flight de-duplication, traffic shaping
 * (instance pools, retries, circuit breakers, bulkheads), TLS and HTTP/2 toward subgraphs, the plans a hot reload
 * makes again before the new supergraph serves. What only the HTTP
 * server needs (body size limit, development mode, slow clients, shutdown, readiness) is in the server's own
 * settings (http.ServerSettings): the engine runs the same in-process, behind a BFF route or a test.
 */
public record RouterSettings(boolean introspection, boolean exposeSubgraphErrors, Duration subgraphTimeout,
                             Duration requestTimeout, int connectionsPerSubgraph, int planCacheSize,
                             int documentCacheSize, OperationLimits limits, Map<String, SubgraphProtection.Limit> subgraphLimits,
                             Deduplication deduplication, Duration subgraphIdleTimeout, TrafficShaping trafficShaping,
                             SubgraphConnections subgraphConnections, int reloadWarmPlans) {
    public static final RouterSettings DEFAULTS = new RouterSettings(true, false, Duration.ofSeconds(30),
            Duration.ofSeconds(60), 256, 2_000, 2_000, OperationLimits.DEFAULTS, Map.of(),
            Deduplication.DEFAULTS, OkHttpTransport.DEFAULT_IDLE_TIMEOUT, TrafficShaping.NONE,
            SubgraphConnections.DEFAULTS, 500);

    public RouterSettings {
        subgraphLimits = Map.copyOf(subgraphLimits);
    }

    /**
     * In-flight de-duplication. {@code subgraphQueries} (on by default): identical subgraph queries in flight at the
     * same moment share one call (mutations never). {@code inboundQueries} (off by default): identical client queries
     * in flight at the same moment share one execution and one serialized answer; "identical" covers everything that
     * can change the answer: the request, the caller's access, the headers each subgraph would receive, and the
     * client's Authorization and Cookie headers plus {@code varyHeaders} (lower case).
     */
    public record Deduplication(boolean subgraphQueries, boolean inboundQueries, List<String> varyHeaders) {
        public static final Deduplication DEFAULTS = new Deduplication(true, false, List.of());

        public Deduplication {
            varyHeaders = varyHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        }
    }

    public RouterSettings withSubgraphTimeout(Duration timeout) {
        return toBuilder().subgraphTimeout(timeout).build();
    }

    /** The most a whole request may take; fetches still running then are abandoned with an error. */
    public RouterSettings withRequestTimeout(Duration timeout) {
        return toBuilder().requestTimeout(timeout).build();
    }

    public RouterSettings withIntrospection(boolean enabled) {
        return toBuilder().introspection(enabled).build();
    }

    public RouterSettings withExposeSubgraphErrors(boolean expose) {
        return toBuilder().exposeSubgraphErrors(expose).build();
    }

    public RouterSettings withLimits(OperationLimits operationLimits) {
        return toBuilder().limits(operationLimits).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes a few settings of an existing set; every other one keeps its value. */
    public static final class Builder {
        private boolean introspection;
        private boolean exposeSubgraphErrors;
        private Duration subgraphTimeout;
        private Duration requestTimeout;
        private int connectionsPerSubgraph;
        private int planCacheSize;
        private int documentCacheSize;
        private OperationLimits limits;
        private Map<String, SubgraphProtection.Limit> subgraphLimits;
        private Deduplication deduplication;
        private Duration subgraphIdleTimeout;
        private TrafficShaping trafficShaping;
        private SubgraphConnections subgraphConnections;
        private int reloadWarmPlans;

        private Builder(RouterSettings from) {
            introspection = from.introspection;
            exposeSubgraphErrors = from.exposeSubgraphErrors;
            subgraphTimeout = from.subgraphTimeout;
            requestTimeout = from.requestTimeout;
            connectionsPerSubgraph = from.connectionsPerSubgraph;
            planCacheSize = from.planCacheSize;
            documentCacheSize = from.documentCacheSize;
            limits = from.limits;
            subgraphLimits = from.subgraphLimits;
            deduplication = from.deduplication;
            subgraphIdleTimeout = from.subgraphIdleTimeout;
            trafficShaping = from.trafficShaping;
            subgraphConnections = from.subgraphConnections;
            reloadWarmPlans = from.reloadWarmPlans;
        }

        public Builder introspection(boolean value) { introspection = value; return this; }
        public Builder exposeSubgraphErrors(boolean value) { exposeSubgraphErrors = value; return this; }
        public Builder subgraphTimeout(Duration value) { subgraphTimeout = value; return this; }
        public Builder requestTimeout(Duration value) { requestTimeout = value; return this; }
        public Builder connectionsPerSubgraph(int value) { connectionsPerSubgraph = value; return this; }
        public Builder planCacheSize(int value) { planCacheSize = value; return this; }
        public Builder documentCacheSize(int value) { documentCacheSize = value; return this; }
        public Builder limits(OperationLimits value) { limits = value; return this; }
        public Builder subgraphLimits(Map<String, SubgraphProtection.Limit> value) { subgraphLimits = value; return this; }

        public Builder deduplication(Deduplication value) { deduplication = value; return this; }
        /** How long a pooled subgraph connection may stay unused (keep it below the subgraphs' keep-alive timeout). */
        public Builder subgraphIdleTimeout(Duration value) { subgraphIdleTimeout = value; return this; }

        /** Instance pools, retries, circuit breakers and bulkheads per subgraph (config {@code traffic_shaping}). */
        public Builder trafficShaping(TrafficShaping value) { trafficShaping = value; return this; }

        /** TLS (trusted CAs, client certificates) and HTTP/2 per subgraph (config {@code subgraph_connections}). */
        public Builder subgraphConnections(SubgraphConnections value) { subgraphConnections = value; return this; }

        /** How many of the plans used most recently a hot reload plans again on the new supergraph before it serves. */
        public Builder reloadWarmPlans(int value) { reloadWarmPlans = value; return this; }

        public RouterSettings build() {
            return new RouterSettings(introspection, exposeSubgraphErrors, subgraphTimeout, requestTimeout,
                    connectionsPerSubgraph, planCacheSize, documentCacheSize, limits, subgraphLimits, deduplication,
                    subgraphIdleTimeout, trafficShaping, subgraphConnections, reloadWarmPlans);
        }
    }
}
