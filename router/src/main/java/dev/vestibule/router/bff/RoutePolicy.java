package dev.vestibule.router.bff;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the host does around a route's code, declared by the route: its deadline, what a failed section of the
 * operation does to the answer, caching headers, a rate limit of its own, and whether an identity is required.
 *
 * @param deadline        the most the operation may take (null: the module's); never more than the router's request timeout
 * @param failure         what a failed part of the answer (a GraphQL error, the deadline) does
 * @param fallbackDefault for {@link Failure#FALLBACK}: what to answer when no good answer is known yet (null: fail)
 * @param cacheControl    the Cache-Control of a good GET answer (null: {@code no-store}); good GET answers carry an ETag
 *                        and a matching If-None-Match is answered 304
 * @param rateLimit       a token bucket of this route alone (null: only the router's limits)
 * @param authenticated   whether an anonymous request is refused (401) before the route's code runs
 */
public record RoutePolicy(Duration deadline, Failure failure, Supplier<?> fallbackDefault, String cacheControl,
                          RateLimitPlan rateLimit, boolean authenticated) {

    /** No failure tolerated, the module's deadline, no caching, no route limit, anonymous allowed. */
    public static final RoutePolicy DEFAULT = new RoutePolicy(null, Failure.FAIL, null, null, null, false);

    public RoutePolicy {
        Objects.requireNonNull(failure, "failure");
        if (deadline != null && !deadline.isPositive()) throw new IllegalArgumentException("a route's deadline must be positive");
    }

    public enum Failure {
        /** Any failed part fails the route: an RFC 9457 problem (502, or 504 when the deadline passed). */
        FAIL,
        /** 200 with what came, and a {@code gaps} list naming each missing section and why. */
        PARTIAL,
        /**
         * The last good answer for the same request and caller, or the static default, marked with the
         * {@code Vestibule-Fallback} header ({@code last-good} or {@code default}); a problem when neither exists.
         */
        FALLBACK
    }

    /**
     * {@code limit} requests per {@code per} with bursts up to {@code burst}, a bucket per value of {@code key}
     * (parts as in the router's rate_limits rules: consumer, subject, ip, plan, claim:NAME).
     */
    public record RateLimitPlan(long limit, Duration per, long burst, List<String> key) {
        public RateLimitPlan {
            key = List.copyOf(key);
            if (limit <= 0 || burst <= 0 || !per.isPositive()) throw new IllegalArgumentException("a route's rate limit must be positive");
        }
    }

    public static RoutePolicy fail() {
        return DEFAULT;
    }

    public static RoutePolicy partial() {
        return DEFAULT.withFailure(Failure.PARTIAL, null);
    }

    /** The last good answer, or {@code otherwise} (null: none) before there is one. */
    public static RoutePolicy fallback(Supplier<?> otherwise) {
        return DEFAULT.withFailure(Failure.FALLBACK, otherwise);
    }

    public RoutePolicy withFailure(Failure failure, Supplier<?> otherwise) {
        return new RoutePolicy(deadline, failure, otherwise, cacheControl, rateLimit, authenticated);
    }

    public RoutePolicy deadline(Duration deadline) {
        return new RoutePolicy(deadline, failure, fallbackDefault, cacheControl, rateLimit, authenticated);
    }

    public RoutePolicy cacheControl(String cacheControl) {
        return new RoutePolicy(deadline, failure, fallbackDefault, cacheControl, rateLimit, authenticated);
    }

    /** A bucket per consumer and address. */
    public RoutePolicy rateLimit(long limit, Duration per, long burst) {
        return rateLimit(new RateLimitPlan(limit, per, burst, List.of("consumer", "ip")));
    }

    public RoutePolicy rateLimit(RateLimitPlan plan) {
        return new RoutePolicy(deadline, failure, fallbackDefault, cacheControl, plan, authenticated);
    }

    public RoutePolicy requireIdentity() {
        return new RoutePolicy(deadline, failure, fallbackDefault, cacheControl, rateLimit, true);
    }
}
