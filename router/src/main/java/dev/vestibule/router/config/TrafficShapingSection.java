package dev.vestibule.router.config;

import dev.vestibule.router.subgraph.traffic.TrafficPolicy;
import dev.vestibule.router.subgraph.traffic.TrafficShaping;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code traffic_shaping} section: {@code all} (defaults for every subgraph) and {@code subgraphs.<name>} (one
 * subgraph's own, read over {@code all} key by key: a subgraph that sets only {@code retry.max_attempts} keeps the rest
 * of {@code all}'s retry settings). Instance URLs ({@code urls}) only per subgraph.
 */
final class TrafficShapingSection {
    static final String KEY = "traffic_shaping";
    private static final Set<String> POLICY_KEYS = Set.of("balance", "outlier_detection", "retry", "circuit_breaker", "bulkhead");

    private TrafficShapingSection() {}

    static TrafficShaping parse(ConfigNode node) {
        if (node.isMissing()) return TrafficShaping.NONE;
        node.allowOnly(Set.of("all", "subgraphs"));
        TrafficPolicy all = policy(node.get("all").allowOnly(POLICY_KEYS), TrafficPolicy.DEFAULTS, false);
        Map<String, TrafficPolicy> subgraphs = new LinkedHashMap<>();
        Set<String> perSubgraph = new LinkedHashSet<>(POLICY_KEYS);
        perSubgraph.add("urls");
        node.get("subgraphs").map().forEach((name, subgraph) -> subgraphs.put(name, policy(subgraph.allowOnly(perSubgraph), all, true)));
        return new TrafficShaping(all, subgraphs);
    }

    private static TrafficPolicy policy(ConfigNode node, TrafficPolicy base, boolean withUrls) {
        List<String> urls = base.urls();
        if (withUrls && !node.get("urls").isMissing()) {
            ConfigNode urlsNode = node.get("urls");
            List<ConfigNode> items = urlsNode.list();
            urls = items.stream().map(ConfigNode::requiredString).toList();
            if (urls.isEmpty()) throw urlsNode.error("list at least one instance URL, or leave urls out to use the supergraph's");
            if (Set.copyOf(urls).size() != urls.size()) throw urlsNode.error("lists the same URL twice");
            for (int i = 0; i < urls.size(); i++) checkUrl(items.get(i), urls.get(i));
        }
        ConfigNode bulkhead = node.get("bulkhead").allowOnly(Set.of("max_in_flight", "max_wait"));
        return new TrafficPolicy(urls,
                node.get("balance").choice(TrafficPolicy.Balance.class, base.balance()),
                outlier(node.get("outlier_detection"), base.outlier()),
                retry(node.get("retry"), base.retry()),
                breaker(node.get("circuit_breaker"), base.breaker()),
                (int) bulkhead.get("max_in_flight").number(base.maxInFlight(), 0, 1_000_000),
                bulkhead.get("max_wait").duration(base.maxWait()));
    }

    private static void checkUrl(ConfigNode node, String url) {
        try {
            URI uri = new URI(url);
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
                throw node.error("expected an http:// or https:// URL with a host, got '" + url + "'");
            }
        } catch (URISyntaxException e) {
            throw node.error("not a URL: '" + url + "'");
        }
    }

    private static TrafficPolicy.OutlierDetection outlier(ConfigNode node, TrafficPolicy.OutlierDetection base) {
        node.allowOnly(Set.of("consecutive_failures", "base_ejection_time", "max_ejection_time", "max_ejected_percent"));
        TrafficPolicy.OutlierDetection outlier = new TrafficPolicy.OutlierDetection(
                (int) node.get("consecutive_failures").number(base.consecutiveFailures(), 1, 1_000_000),
                node.get("base_ejection_time").positiveDuration(base.baseEjection()),
                node.get("max_ejection_time").positiveDuration(base.maxEjection()),
                (int) node.get("max_ejected_percent").number(base.maxEjectedPercent(), 0, 100));
        if (outlier.maxEjection().compareTo(outlier.baseEjection()) < 0) {
            throw node.get("max_ejection_time").error("must be at least base_ejection_time (" + outlier.baseEjection().toMillis() + " ms)");
        }
        return outlier;
    }

    private static TrafficPolicy.Retry retry(ConfigNode node, TrafficPolicy.Retry base) {
        node.allowOnly(Set.of("enabled", "max_attempts", "initial_backoff", "max_backoff", "statuses", "on_timeout", "mutations", "budget"));
        ConfigNode budget = node.get("budget").allowOnly(Set.of("retry_percent", "min_per_second", "ttl"));
        TrafficPolicy.Budget b = base.budget();
        Duration ttl = budget.get("ttl").positiveDuration(b.ttl());
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofSeconds(60)) > 0) {
            throw budget.get("ttl").error("must be between 1s and 60s");
        }
        TrafficPolicy.Retry retry = new TrafficPolicy.Retry(
                node.get("enabled").bool(base.enabled()),
                (int) node.get("max_attempts").number(base.maxAttempts(), 1, 10),
                node.get("initial_backoff").duration(base.initialBackoff()),
                node.get("max_backoff").duration(base.maxBackoff()),
                statuses(node.get("statuses"), base.statuses()),
                node.get("on_timeout").bool(base.onTimeout()),
                node.get("mutations").bool(base.mutations()),
                new TrafficPolicy.Budget((int) budget.get("retry_percent").number(b.retryPercent(), 0, 1000),
                        (int) budget.get("min_per_second").number(b.minPerSecond(), 0, 1_000_000), ttl));
        if (retry.maxBackoff().compareTo(retry.initialBackoff()) < 0) {
            throw node.get("max_backoff").error("must be at least initial_backoff (" + retry.initialBackoff().toMillis() + " ms)");
        }
        return retry;
    }

    private static TrafficPolicy.Breaker breaker(ConfigNode node, TrafficPolicy.Breaker base) {
        node.allowOnly(Set.of("enabled", "failure_rate_percent", "minimum_calls", "window", "open_duration", "half_open_calls",
                "failure_statuses"));
        return new TrafficPolicy.Breaker(
                node.get("enabled").bool(base.enabled()),
                (int) node.get("failure_rate_percent").number(base.failureRatePercent(), 1, 100),
                (int) node.get("minimum_calls").number(base.minimumCalls(), 1, 1_000_000),
                node.get("window").positiveDuration(base.window()),
                node.get("open_duration").positiveDuration(base.openDuration()),
                (int) node.get("half_open_calls").number(base.halfOpenCalls(), 1, 1_000),
                statuses(node.get("failure_statuses"), base.failureStatuses()));
    }

    /** HTTP statuses (100-599); an empty list is allowed (none). */
    private static Set<Integer> statuses(ConfigNode node, Set<Integer> base) {
        if (node.isMissing()) return base;
        Set<Integer> out = new LinkedHashSet<>();
        List<ConfigNode> items = node.list();
        for (ConfigNode item : items) out.add((int) item.number(0, 100, 599));
        return out;
    }
}
