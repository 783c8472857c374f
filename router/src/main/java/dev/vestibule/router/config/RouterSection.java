package dev.vestibule.router.config;

import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.http.ServerSettings;
import dev.vestibule.router.operation.OperationLimits;
import java.util.Set;

/**
 * The {@code router} section: the engine's settings (introspection, timeouts, connections, caches, operation limits,
 * de-duplication), and two of the HTTP server's (max_body_bytes, dev), kept under this key as they always were.
 */
record RouterSection(RouterSettings settings, long maxBodyBytes, boolean devMode) {
    static final String KEY = "router";

    static RouterSection parse(ConfigNode node) {
        node.allowOnly(Set.of("introspection", "expose_subgraph_errors", "subgraph_timeout", "request_timeout",
                "connections_per_subgraph", "subgraph_idle_timeout", "plan_cache_size", "document_cache_size", "max_body_bytes", "dev",
                "limits", "deduplication", "reload_warm_plans"));
        RouterSettings d = RouterSettings.DEFAULTS;
        ServerSettings server = ServerSettings.DEFAULTS;
        ConfigNode dedup = node.get("deduplication").allowOnly(Set.of("subgraph_queries", "inbound_queries", "vary_headers"));
        RouterSettings.Deduplication dd = RouterSettings.Deduplication.DEFAULTS;
        ConfigNode limits = node.get("limits").allowOnly(Set.of("max_depth", "max_aliases", "max_root_fields", "max_tokens",
                "max_cost", "default_list_size"));
        OperationLimits l = OperationLimits.DEFAULTS;
        RouterSettings settings = d.toBuilder()
                .introspection(node.get("introspection").bool(d.introspection()))
                .exposeSubgraphErrors(node.get("expose_subgraph_errors").bool(d.exposeSubgraphErrors()))
                .subgraphTimeout(node.get("subgraph_timeout").positiveDuration(d.subgraphTimeout()))
                .requestTimeout(node.get("request_timeout").positiveDuration(d.requestTimeout()))
                .connectionsPerSubgraph((int) node.get("connections_per_subgraph").number(d.connectionsPerSubgraph(), 1, 100_000))
                .subgraphIdleTimeout(node.get("subgraph_idle_timeout").positiveDuration(d.subgraphIdleTimeout()))
                .planCacheSize((int) node.get("plan_cache_size").number(d.planCacheSize(), 1, 10_000_000))
                .documentCacheSize((int) node.get("document_cache_size").number(d.documentCacheSize(), 1, 10_000_000))
                .reloadWarmPlans((int) node.get("reload_warm_plans").number(d.reloadWarmPlans(), 0, 10_000_000))
                .deduplication(new RouterSettings.Deduplication(dedup.get("subgraph_queries").bool(dd.subgraphQueries()),
                        dedup.get("inbound_queries").bool(dd.inboundQueries()), dedup.get("vary_headers").strings()))
                .limits(new OperationLimits(
                        (int) limits.get("max_depth").number(l.maxDepth(), 1, 10_000),
                        (int) limits.get("max_aliases").number(l.maxAliases(), 0, 1_000_000),
                        (int) limits.get("max_root_fields").number(l.maxRootFields(), 1, 1_000_000),
                        (int) limits.get("max_tokens").number(l.maxTokens(), 10, 10_000_000),
                        limits.get("max_cost").number(l.maxCost(), 0, Long.MAX_VALUE / 2),
                        (int) limits.get("default_list_size").number(l.defaultListSize(), 0, 1_000_000)))
                .build();
        return new RouterSection(settings, node.get("max_body_bytes").number(server.maxBodyBytes(), 1, Integer.MAX_VALUE),
                node.get("dev").bool(server.devMode()));
    }
}
