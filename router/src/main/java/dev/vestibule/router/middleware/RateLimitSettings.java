package dev.vestibule.router.middleware;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Token-bucket rate limits (the {@code rate_limits} section of the router config): where buckets live (this process,
 * or Redis so that every router instance shares them), what happens when Redis is unreachable, whose
 * X-Forwarded-For to believe, the rules, and the two-stage mode (a local bucket in front of Redis).
 */
public record RateLimitSettings(Backend backend, String redisUrl, Duration redisTimeout, boolean failOpen,
                                List<String> trustedProxies, List<Rule> rules, boolean localPrefilter) {

    public static final RateLimitSettings NONE = new RateLimitSettings(Backend.MEMORY, null, Duration.ofMillis(200), true,
            List.of(), List.of(), false);

    public RateLimitSettings(Backend backend, String redisUrl, Duration redisTimeout, boolean failOpen,
                             List<String> trustedProxies, List<Rule> rules) {
        this(backend, redisUrl, redisTimeout, failOpen, trustedProxies, rules, false);
    }

    public RateLimitSettings {
        trustedProxies = List.copyOf(trustedProxies);
        rules = List.copyOf(rules);
    }

    public enum Backend { MEMORY, REDIS }

    /** {@code limit} requests per {@code per}, with bursts up to {@code burst}. */
    public record Limit(long limit, Duration per, long burst) {}

    /**
     * One rule: a bucket per distinct key (made of {@code consumer}, {@code subject}, {@code ip}, {@code operation},
     * {@code plan} or {@code claim:NAME} parts), with a limit that a consumer's plan may override.
     */
    public record Rule(String name, List<String> key, Limit limit, Map<String, Limit> plans) {
        public Rule {
            key = List.copyOf(key);
            plans = Map.copyOf(plans);
        }
    }
}
