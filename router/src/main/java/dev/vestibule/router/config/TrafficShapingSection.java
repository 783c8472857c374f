package dev.vestibule.router.config;

import dev.vestibule.router.subgraph.traffic.TrafficPolicy;
import dev.vestibule.router.subgraph.traffic.TrafficShaping;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code traffic_shaping} section: {@code all} (defaults for every subgraph) and {@code subgraphs.<name>} (one
 * subgraph's own, read over {@code all} key by key: a subgraph that sets only {@code retry.max_attempts} keeps the rest
 * of {@code all}'s retry settings). Instance URLs ({@code urls}), canaries and shadows only per subgraph; how callers
 * are told apart for the splits in {@code callers}.
 */
final class TrafficShapingSection {
    static final String KEY = "traffic_shaping";
    private static final Set<String> POLICY_KEYS = Set.of("balance", "outlier_detection", "retry", "circuit_breaker", "bulkhead",
            "health_check");

    private TrafficShapingSection() {}

    static TrafficShaping parse(ConfigNode node) {
        if (node.isMissing()) return TrafficShaping.NONE;
        node.allowOnly(Set.of("all", "subgraphs", "callers"));
        TrafficPolicy all = policy(node.get("all").allowOnly(POLICY_KEYS), TrafficPolicy.DEFAULTS, false);
        Map<String, TrafficPolicy> subgraphs = new LinkedHashMap<>();
        Set<String> perSubgraph = new LinkedHashSet<>(POLICY_KEYS);
        perSubgraph.addAll(List.of("urls", "canary", "shadow"));
        node.get("subgraphs").map().forEach((name, subgraph) -> subgraphs.put(name, policy(subgraph.allowOnly(perSubgraph), all, true)));
        return new TrafficShaping(all, subgraphs, callers(node.get("callers")));
    }

    private static TrafficShaping.Callers callers(ConfigNode node) {
        node.allowOnly(Set.of("sticky_header", "variant_header", "variant_claim", "override_labels", "labels_header", "labels_claim",
                "override_percent"));
        ConfigNode labels = node.get("override_labels");
        Map<String, Double> percents = new LinkedHashMap<>();
        node.get("override_percent").map().forEach((label, value) -> {
            if (!label.matches("[a-zA-Z][a-zA-Z0-9_\\-:./]*") || label.startsWith("percent(")) {
                throw value.error("not a named @override label (letters, digits, _ - : . /; percent(N) labels keep their N)");
            }
            percents.put(label, percent(value, 0));
        });
        return new TrafficShaping.Callers(header(node.get("sticky_header")), header(node.get("variant_header")),
                node.get("variant_claim").string(null), labels.isMissing() ? Set.of() : new LinkedHashSet<>(labels.strings()),
                header(node.get("labels_header")), node.get("labels_claim").string(null), percents);
    }

    private static String header(ConfigNode node) {
        String name = node.string(null);
        if (name == null) return null;
        if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) throw node.error("not an HTTP header name: '" + name + "'");
        return name.toLowerCase(Locale.ROOT);
    }

    private static TrafficPolicy.HealthCheck health(ConfigNode node, TrafficPolicy.HealthCheck base) {
        node.allowOnly(Set.of("enabled", "path", "query", "interval", "timeout", "healthy_threshold", "unhealthy_threshold"));
        String path = node.get("path").string(base.path());
        if (path != null && !path.startsWith("/")) throw node.get("path").error("must start with /, got '" + path + "'");
        String query = node.get("query").string(base.query());
        if (query.isBlank()) throw node.get("query").error("must not be empty");
        return new TrafficPolicy.HealthCheck(
                node.isMissing() ? base.enabled() : node.get("enabled").bool(true),
                path, query,
                node.get("interval").positiveDuration(base.interval()),
                node.get("timeout").positiveDuration(base.timeout()),
                (int) node.get("healthy_threshold").number(base.healthyThreshold(), 1, 100),
                (int) node.get("unhealthy_threshold").number(base.unhealthyThreshold(), 1, 100));
    }

    private static TrafficPolicy.Canary canary(ConfigNode node, List<String> primaryUrls) {
        if (node.isMissing()) return TrafficPolicy.Canary.NONE;
        node.allowOnly(Set.of("urls", "weight"));
        ConfigNode urlsNode = node.get("urls");
        List<ConfigNode> items = urlsNode.list();
        List<String> urls = items.stream().map(ConfigNode::requiredString).toList();
        if (urls.isEmpty()) throw urlsNode.error("list at least one canary instance URL");
        if (Set.copyOf(urls).size() != urls.size()) throw urlsNode.error("lists the same URL twice");
        for (int i = 0; i < urls.size(); i++) {
            checkUrl(items.get(i), urls.get(i));
            if (primaryUrls.contains(urls.get(i))) throw items.get(i).error("is also a primary instance: a canary needs instances of its own");
        }
        return new TrafficPolicy.Canary(urls, percent(node.get("weight"), 0));
    }

    private static TrafficPolicy.Shadow shadow(ConfigNode node) {
        if (node.isMissing()) return TrafficPolicy.Shadow.NONE;
        node.allowOnly(Set.of("url", "percent", "max_in_flight", "timeout"));
        TrafficPolicy.Shadow base = TrafficPolicy.Shadow.NONE;
        String url = node.get("url").requiredString();
        checkUrl(node.get("url"), url);
        return new TrafficPolicy.Shadow(url, percent(node.get("percent"), 100),
                (int) node.get("max_in_flight").number(base.maxInFlight(), 1, 10_000),
                node.get("timeout").positiveDuration(base.timeout()));
    }

    /** A share in percent, 0 to 100, decimals allowed (0.5 is one call in two hundred). */
    private static double percent(ConfigNode node, double defaultValue) {
        String text = node.string(null);
        if (text == null) return defaultValue;
        try {
            double value = Double.parseDouble(text);
            if (!(value >= 0 && value <= 100)) throw node.error("must be between 0 and 100, got " + text);
            return value;
        } catch (NumberFormatException e) {
            throw node.error("expected a percentage between 0 and 100, got '" + text + "'");
        }
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
                bulkhead.get("max_wait").duration(base.maxWait()),
                health(node.get("health_check"), base.health()),
                withUrls ? canary(node.get("canary"), urls) : TrafficPolicy.Canary.NONE,
                withUrls ? shadow(node.get("shadow")) : TrafficPolicy.Shadow.NONE);
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
