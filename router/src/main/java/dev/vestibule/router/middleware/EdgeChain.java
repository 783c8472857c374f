package dev.vestibule.router.middleware;

import dev.vestibule.router.middleware.EdgeFilter.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge filters in the order they run, built once from the config; every route runs the same chain, a phase at a
 * time, as it learns more about the request ({@link Phase}). The order {@link #of} makes:
 * <ol>
 *   <li>REQUEST: {@link CorsFilter} (answers preflights, adds the CORS headers to every answer, refusals too),
 *       {@link CsrfFilter}, {@link AuthenticationFilter};</li>
 *   <li>OPERATION: {@link PersistedOperationsFilter};</li>
 *   <li>ADMISSION: {@link RateLimitFilter} (keyed by the identity and the operation's name, so after both are known),
 *       {@link SubgraphHeadersFilter}.</li>
 * </ol>
 */
public final class EdgeChain {
    private final List<EdgeFilter> filters;
    /** The filters of each phase, by {@link Phase#ordinal}: the request path walks an array, no iterator. */
    private final EdgeFilter[][] byPhase;

    public EdgeChain(List<EdgeFilter> filters) {
        this.filters = List.copyOf(filters);
        this.byPhase = new EdgeFilter[Phase.values().length][];
        for (Phase phase : Phase.values()) {
            byPhase[phase.ordinal()] = this.filters.stream().filter(f -> f.phase() == phase).toArray(EdgeFilter[]::new);
        }
    }

    /** The chain of an edge policy, in the order above; the policy still owns (and closes) the parts. */
    public static EdgeChain of(EdgePolicy policy) {
        List<EdgeFilter> filters = new ArrayList<>();
        filters.add(new CorsFilter(policy.browser()));
        filters.add(new CsrfFilter(policy.browser()));
        filters.add(new AuthenticationFilter(policy.authenticator(), policy.authorization()));
        filters.add(new PersistedOperationsFilter(policy.persistedQueries()));
        if (policy.rateLimiter().enabled()) filters.add(new RateLimitFilter(policy.rateLimiter()));
        filters.add(new SubgraphHeadersFilter(policy.headerRules()));
        return new EdgeChain(filters);
    }

    public List<EdgeFilter> filters() {
        return filters;
    }

    /** Runs the filters of one phase in order; the first decision that is not to continue ends it. */
    public Decision run(Phase phase, EdgeRequest request) {
        for (EdgeFilter filter : byPhase[phase.ordinal()]) {
            Decision decision = filter.apply(request);
            if (!(decision instanceof Decision.Continue)) return decision;
        }
        return Decision.CONTINUE;
    }
}
