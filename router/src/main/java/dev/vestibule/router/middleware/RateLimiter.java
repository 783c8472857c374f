package dev.vestibule.router.middleware;

import dev.vestibule.router.middleware.Admission.Admitted;
import dev.vestibule.router.middleware.Admission.Refused;
import dev.vestibule.router.middleware.RateLimitSettings.Limit;
import dev.vestibule.router.middleware.RateLimitSettings.Rule;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets (Bucket4j) in front of the router: one bucket per rule and key, in this process or in Redis (shared by
 * every instance). Over a limit: 429 with {@code Retry-After}; every limited response carries {@code RateLimit-Limit},
 * {@code RateLimit-Remaining} and {@code RateLimit-Reset}. When Redis cannot answer, fail-open (the default) lets the
 * request through and counts it; fail-closed refuses with 503. Lettuce reconnects by itself when Redis is back.
 */
public final class RateLimiter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
    private static final int MAX_LOCAL_BUCKETS = 100_000;

    private final RateLimitSettings settings;
    private final Map<String, Bucket> local = new ConcurrentHashMap<>();
    private final RedisClient redis;
    private final ProxyManager<byte[]> shared;
    private final AtomicLong backendFailures = new AtomicLong();
    /** The readiness checks' own connection to Redis (one checker thread uses it). */
    private volatile StatefulRedisConnection<String, String> pingConnection;

    public RateLimiter(RateLimitSettings settings) {
        this.settings = settings;
        if (settings.backend() == RateLimitSettings.Backend.REDIS && !settings.rules().isEmpty()) {
            RedisURI uri = RedisURI.create(settings.redisUrl());
            uri.setTimeout(settings.redisTimeout());
            redis = RedisClient.create(uri);
            // fail fast while Redis is away instead of queueing commands until they time out
            redis.setOptions(ClientOptions.builder().autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(settings.redisTimeout())).build());
            shared = Bucket4jLettuce.casBasedBuilder(redis)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                    .build();
        } else {
            redis = null;
            shared = null;
        }
    }

    /** Requests let through because Redis could not answer (fail-open), or refused for it (fail-closed). */
    public long backendFailures() {
        return backendFailures.get();
    }

    public boolean enabled() {
        return !settings.rules().isEmpty();
    }

    /** The client's address: the socket's, or the first X-Forwarded-For hop when the socket is a trusted proxy. */
    public String clientIp(String remoteAddress, String forwardedFor) {
        if (forwardedFor != null && settings.trustedProxies().contains(remoteAddress)) {
            int comma = forwardedFor.indexOf(',');
            String first = (comma < 0 ? forwardedFor : forwardedFor.substring(0, comma)).trim();
            if (!first.isEmpty()) return first;
        }
        return remoteAddress;
    }

    /** Takes one token from every rule's bucket; the first empty bucket refuses. Headers describe the tightest rule. */
    public Admission check(Identity identity, String clientIp, String operationName, Map<String, String> responseHeaders) {
        long tightestRemaining = Long.MAX_VALUE;
        for (Rule rule : settings.rules()) {
            Limit limit = identity != null && identity.plan() != null ? rule.plans().getOrDefault(identity.plan(), rule.limit()) : rule.limit();
            String key = "vestibule:rl:" + rule.name() + ":" + key(rule, identity, clientIp, operationName);
            ConsumptionProbe probe;
            if (shared != null && settings.localPrefilter()) {
                // two-stage: a burst this instance alone sees over the limit is shed here, with no network hop
                ConsumptionProbe local = localBucket(key, limit).tryConsumeAndReturnRemaining(1);
                if (!local.isConsumed()) return overLimit(rule, limit, local);
            }
            try {
                probe = bucket(key, limit).tryConsumeAndReturnRemaining(1);
            } catch (RuntimeException e) {
                backendFailures.incrementAndGet();
                if (settings.failOpen()) {
                    LOG.warn("rate limit backend unavailable ({}); letting the request through (fail-open)", e.getMessage());
                    continue;
                }
                LOG.warn("rate limit backend unavailable ({}); refusing the request (fail-closed)", e.getMessage());
                return new Refused(503, Map.of("Retry-After", "1"), "rate limiting is unavailable; retry shortly", "RATE_LIMIT_UNAVAILABLE");
            }
            long resetSeconds = Math.max(1, (long) Math.ceil(probe.getNanosToWaitForReset() / 1e9));
            if (!probe.isConsumed()) return overLimit(rule, limit, probe);
            if (probe.getRemainingTokens() < tightestRemaining) {
                tightestRemaining = probe.getRemainingTokens();
                responseHeaders.put("RateLimit-Limit", Long.toString(limit.burst()));
                responseHeaders.put("RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
                responseHeaders.put("RateLimit-Reset", Long.toString(resetSeconds));
            }
        }
        return new Admitted(identity, Map.of());
    }

    private static Refused overLimit(Rule rule, Limit limit, ConsumptionProbe probe) {
        long retryAfter = Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Retry-After", Long.toString(retryAfter));
        headers.put("RateLimit-Limit", Long.toString(limit.burst()));
        headers.put("RateLimit-Remaining", "0");
        headers.put("RateLimit-Reset", Long.toString(retryAfter));
        return new Refused(429, headers, "rate limit '" + rule.name() + "' exceeded; retry in " + retryAfter + " s", "RATE_LIMITED");
    }

    private Bucket localBucket(String key, Limit limit) {
        if (local.size() > MAX_LOCAL_BUCKETS) local.clear(); // a flood of distinct keys must not grow memory without bound
        return local.computeIfAbsent(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit.burst()).refillGreedy(limit.limit(), limit.per()).build()).build());
    }

    private Bucket bucket(String key, Limit limit) {
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(limit.burst()).refillGreedy(limit.limit(), limit.per()).build()).build();
        if (shared != null) return shared.getProxy(key.getBytes(StandardCharsets.UTF_8), () -> configuration);
        return localBucket(key, limit);
    }

    private static String key(Rule rule, Identity identity, String clientIp, String operationName) {
        StringBuilder key = new StringBuilder();
        for (String part : rule.key()) {
            if (!key.isEmpty()) key.append('|');
            String value = switch (part) {
                case "consumer" -> identity == null ? "anonymous" : identity.consumer();
                case "subject" -> identity == null ? "anonymous" : identity.subject();
                case "plan" -> identity == null || identity.plan() == null ? "none" : identity.plan();
                case "ip" -> clientIp;
                case "operation" -> operationName == null ? "anonymous-operation" : operationName;
                default -> {
                    Object claim = identity == null ? null : identity.claims().get(part.substring("claim:".length()));
                    yield claim == null ? "none" : String.valueOf(claim);
                }
            };
            key.append(value);
        }
        return key.toString();
    }

    /**
     * Whether Redis is a dependency the router cannot serve without: rate limits in Redis that fail closed refuse
     * every request while Redis is away, so readiness (/ready) checks it then.
     */
    public boolean backendRequired() {
        return redis != null && !settings.failOpen();
    }

    /** Whether the Redis backend answers a PING (within the configured timeout); true without a Redis backend. */
    public boolean backendReachable() {
        if (redis == null) return true;
        try {
            StatefulRedisConnection<String, String> connection = pingConnection;
            if (connection == null || !connection.isOpen()) {
                // kept for the next check: a connection per check would cost a handshake every few seconds
                connection = redis.connect();
                pingConnection = connection;
            }
            return "PONG".equalsIgnoreCase(connection.sync().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (pingConnection != null) pingConnection.close();
        if (redis != null) redis.shutdown();
    }
}
