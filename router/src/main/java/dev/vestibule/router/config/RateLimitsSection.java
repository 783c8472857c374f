package dev.vestibule.router.config;

import dev.vestibule.router.middleware.RateLimitSettings;
import dev.vestibule.router.subgraph.SubgraphProtection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code rate_limits} section: the edge's rules (per consumer, subject, address, operation, plan or claim), their
 * backend, and {@code subgraphs}: the engine's per-subgraph protection limits.
 */
record RateLimitsSection(RateLimitSettings edge, Map<String, SubgraphProtection.Limit> subgraphs) {
    static final String KEY = "rate_limits";
    private static final Set<String> KEY_PARTS = Set.of("consumer", "subject", "ip", "operation", "plan");

    static RateLimitsSection parse(ConfigNode node) {
        Map<String, SubgraphProtection.Limit> subgraphs = new LinkedHashMap<>();
        node.get("subgraphs").map().forEach((subgraph, limitNode) -> {
            RateLimitSettings.Limit limit = limit(limitNode.allowOnly(Set.of("limit", "per", "burst")));
            subgraphs.put(subgraph, new SubgraphProtection.Limit(limit.limit(), limit.per(), limit.burst()));
        });
        return new RateLimitsSection(edge(node), subgraphs);
    }

    private static RateLimitSettings edge(ConfigNode node) {
        if (node.isMissing()) return RateLimitSettings.NONE;
        node.allowOnly(Set.of("backend", "redis", "trusted_proxies", "rules", "local_prefilter", "subgraphs"));
        RateLimitSettings.Backend backend = node.get("backend").choice(RateLimitSettings.Backend.class, RateLimitSettings.Backend.MEMORY);
        ConfigNode redis = node.get("redis").allowOnly(Set.of("url", "timeout", "on_failure"));
        String url = redis.get("url").string(null);
        if (backend == RateLimitSettings.Backend.REDIS && url == null) {
            throw redis.get("url").error("required with backend: redis (e.g. redis://127.0.0.1:6379)");
        }
        String onFailure = redis.get("on_failure").string("open");
        if (!onFailure.equals("open") && !onFailure.equals("closed")) throw redis.get("on_failure").error("expected open or closed, got '" + onFailure + "'");
        List<RateLimitSettings.Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode rule : node.get("rules").list()) {
            rule.allowOnly(Set.of("name", "key", "limit", "per", "burst", "plans"));
            String name = rule.get("name").requiredString();
            if (!names.add(name)) throw rule.get("name").error("another rule is named '" + name + "'");
            List<String> key = rule.get("key").strings();
            if (key.isEmpty()) throw rule.get("key").error("required: consumer, subject, ip, operation, plan or claim:NAME (or a list of them)");
            for (String part : key) {
                if (!KEY_PARTS.contains(part) && !part.matches("claim:[A-Za-z0-9_.:-]+")) {
                    throw rule.get("key").error("unknown key part '" + part + "' (consumer, subject, ip, operation, plan or claim:NAME)");
                }
            }
            Map<String, RateLimitSettings.Limit> plans = new LinkedHashMap<>();
            rule.get("plans").map().forEach((plan, limit) -> plans.put(plan, limit(limit.allowOnly(Set.of("limit", "per", "burst")))));
            rules.add(new RateLimitSettings.Rule(name, key, limit(rule), plans));
        }
        return new RateLimitSettings(backend, url, redis.get("timeout").positiveDuration(Duration.ofMillis(200)),
                onFailure.equals("open"), node.get("trusted_proxies").strings(), rules, node.get("local_prefilter").bool(false));
    }

    private static RateLimitSettings.Limit limit(ConfigNode node) {
        long limit = node.get("limit").number(-1, 1, Long.MAX_VALUE / 2);
        if (limit < 0) throw node.get("limit").error("required: the requests allowed per period");
        long burst = node.get("burst").number(limit, 1, Long.MAX_VALUE / 2);
        return new RateLimitSettings.Limit(limit, node.get("per").positiveDuration(Duration.ofSeconds(1)), burst);
    }
}
