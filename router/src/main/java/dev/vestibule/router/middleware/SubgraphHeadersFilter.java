package dev.vestibule.router.middleware;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The header rules ({@link HeaderRules}): what each subgraph receives, the rules over the client's headers and then
 * the verified identity's; computed per subgraph when the plan first calls it. Never refuses.
 */
public final class SubgraphHeadersFilter implements EdgeFilter {
    private final HeaderRules rules;

    public SubgraphHeadersFilter(HeaderRules rules) {
        this.rules = rules;
    }

    @Override
    public Phase phase() {
        return Phase.ADMISSION;
    }

    @Override
    public Decision apply(EdgeRequest request) {
        if (rules.isEmpty()) return Decision.CONTINUE; // the identity's headers alone (EdgeRequest's default)
        Map<String, String> client = request.headers();
        Map<String, String> identity = request.identityHeaders();
        Map<String, Map<String, String>> bySubgraph = new ConcurrentHashMap<>();
        request.subgraphHeaders(subgraph -> bySubgraph.computeIfAbsent(subgraph, name -> rules.forSubgraph(name, client, identity)));
        return Decision.CONTINUE;
    }
}
