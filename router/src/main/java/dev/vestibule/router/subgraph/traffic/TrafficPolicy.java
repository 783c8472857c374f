package dev.vestibule.router.subgraph.traffic;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How the router treats one subgraph's traffic (config {@code traffic_shaping}): where its calls go (the supergraph's
 * URL, or a pool of instances balanced and watched for outliers), whether a failed query is sent again (within a retry
 * budget), whether a circuit breaker stops calls after repeated failures, and how many calls may be in flight at once.
 * {@link #DEFAULTS} changes nothing: one URL, no retries, no breaker, no bound.
 *
 * @param urls        the instances' URLs; empty: the supergraph's URL alone
 * @param maxInFlight calls in flight to the subgraph at once (the bulkhead); 0: no bound
 * @param maxWait     how long a call over {@code maxInFlight} may wait for a slot before it fails
 * @param health      active health checks of the pool's instances (and the canary's)
 * @param canary      a second pool that gets a share of the callers
 * @param shadow      a candidate that gets copies of a share of the query calls, its answers compared and dropped
 */
public record TrafficPolicy(List<String> urls, Balance balance, OutlierDetection outlier, Retry retry, Breaker breaker,
                            int maxInFlight, Duration maxWait, HealthCheck health, Canary canary, Shadow shadow) {
    public static final TrafficPolicy DEFAULTS = new TrafficPolicy(List.of(), Balance.LEAST_REQUESTS, OutlierDetection.DEFAULTS,
            Retry.DEFAULTS, Breaker.DEFAULTS, 0, Duration.ZERO, HealthCheck.DEFAULTS, Canary.NONE, Shadow.NONE);

    public TrafficPolicy {
        urls = List.copyOf(urls);
    }

    /** How a pool picks an instance for a call. */
    public enum Balance {
        /** Of two instances drawn at random, the one with fewer calls in flight (power of two choices). */
        LEAST_REQUESTS,
        /** Each instance in turn. */
        ROUND_ROBIN
    }

    /**
     * Passive outlier detection in a pool: {@code consecutiveFailures} failed calls in a row (no connection, no answer in
     * time, HTTP 5xx) eject an instance for {@code baseEjection} times the number of times it was ejected (at most
     * {@code maxEjection}); then one call at a time probes it, and a success takes it back. At most
     * {@code maxEjectedPercent} of the pool is out at once (at least one instance may always be).
     */
    public record OutlierDetection(int consecutiveFailures, Duration baseEjection, Duration maxEjection, int maxEjectedPercent) {
        public static final OutlierDetection DEFAULTS = new OutlierDetection(5, Duration.ofSeconds(30), Duration.ofMinutes(5), 10);
    }

    /**
     * Retries of a call that failed without an answer (no connection, a cut connection; a timeout with
     * {@code onTimeout}) or answered one of {@code statuses}: at most {@code maxAttempts} calls in all, waiting between
     * them a random time up to {@code initialBackoff} doubled per attempt (at most {@code maxBackoff}), or the
     * {@code Retry-After} the subgraph asked for; never past the request's deadline; queries only unless
     * {@code mutations}; each one withdrawn from the subgraph's {@linkplain Budget budget}.
     */
    public record Retry(boolean enabled, int maxAttempts, Duration initialBackoff, Duration maxBackoff, Set<Integer> statuses,
                        boolean onTimeout, boolean mutations, Budget budget) {
        public static final Retry DEFAULTS = new Retry(false, 3, Duration.ofMillis(50), Duration.ofSeconds(1), Set.of(502, 503, 504),
                false, false, Budget.DEFAULTS);

        public Retry {
            statuses = Set.copyOf(statuses);
        }
    }

    /**
     * At most {@code retryPercent} % of the calls made to the subgraph over the last {@code ttl}, plus
     * {@code minPerSecond} a second, are retries: a retry can never turn an outage into a storm.
     */
    public record Budget(int retryPercent, int minPerSecond, Duration ttl) {
        public static final Budget DEFAULTS = new Budget(20, 10, Duration.ofSeconds(10));
    }

    /**
     * A circuit breaker: over the last {@code window}, once at least {@code minimumCalls} calls were made and
     * {@code failureRatePercent} % of them failed (no connection, no answer in time, one of {@code failureStatuses}),
     * it opens: for {@code openDuration} every call fails at once with SUBGRAPH_CIRCUIT_OPEN; then
     * {@code halfOpenCalls} calls probe the subgraph, and it closes when they all succeed or opens again when one fails.
     */
    public record Breaker(boolean enabled, int failureRatePercent, int minimumCalls, Duration window, Duration openDuration,
                          int halfOpenCalls, Set<Integer> failureStatuses) {
        public static final Breaker DEFAULTS = new Breaker(false, 50, 20, Duration.ofSeconds(10), Duration.ofSeconds(5), 1,
                Set.of(500, 502, 503, 504));

        public Breaker {
            failureStatuses = Set.copyOf(failureStatuses);
        }
    }

    /**
     * Active health checks of a pool's instances: every {@code interval}, each instance is sent {@code query} (POSTed as
     * a GraphQL request to the instance's URL, or to {@code path} on the instance's host when set); an answer with a
     * 2xx status within {@code timeout} passes, anything else fails. {@code unhealthyThreshold} failures in a row take
     * the instance out of the pool, {@code healthyThreshold} passes in a row put it back. Instances start in.
     */
    public record HealthCheck(boolean enabled, String path, String query, Duration interval, Duration timeout,
                              int healthyThreshold, int unhealthyThreshold) {
        public static final HealthCheck DEFAULTS = new HealthCheck(false, null, "query VestibuleHealthCheck { __typename }",
                Duration.ofSeconds(5), Duration.ofSeconds(1), 2, 3);
    }

    /**
     * A weighted canary: {@code weightPercent} % of the callers (sticky: a hash of the caller's key, see
     * {@code Cohort}) have their calls to the subgraph sent to the pool of {@code urls} instead of the primary one; a
     * caller that asks for a variant (a header or claim the config names) gets it. Balanced, watched for outliers and
     * health checked like the primary pool. {@link #NONE}: no canary.
     */
    public record Canary(List<String> urls, double weightPercent) {
        public static final Canary NONE = new Canary(List.of(), 0);

        public Canary {
            urls = List.copyOf(urls);
        }

        public boolean enabled() {
            return !urls.isEmpty();
        }
    }

    /**
     * Shadow traffic: copies of {@code percent} % of the query calls (never mutations) are also sent to {@code url},
     * after the primary answered, on a virtual thread of their own; at most {@code maxInFlight} copies at once (the
     * others are skipped), each within {@code timeout}. The candidate's answer never reaches a client: it is compared
     * with the primary's (as JSON, key order aside) and a difference is counted and logged with the path where it
     * starts. {@link #NONE}: no shadow.
     */
    public record Shadow(String url, double percent, int maxInFlight, Duration timeout) {
        public static final Shadow NONE = new Shadow(null, 0, 16, Duration.ofSeconds(10));

        public boolean enabled() {
            return url != null && percent > 0;
        }
    }
}
