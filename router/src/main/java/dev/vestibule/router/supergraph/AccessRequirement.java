package dev.vestibule.router.supergraph;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a type or field of the supergraph demands of the caller (@authenticated, @requiresScopes, @policy): to be
 * authenticated, to hold every scope of at least one of the scope alternatives, and to satisfy every policy of at
 * least one of the policy alternatives (an empty list of alternatives demands nothing).
 */
public record AccessRequirement(boolean authenticated, List<List<String>> scopeAlternatives, List<List<String>> policyAlternatives) {
    public AccessRequirement {
        scopeAlternatives = scopeAlternatives.stream().map(List::copyOf).toList();
        policyAlternatives = policyAlternatives.stream().map(List::copyOf).toList();
    }

    public AccessRequirement(boolean authenticated, List<List<String>> scopeAlternatives) {
        this(authenticated, scopeAlternatives, List.of());
    }

    public boolean satisfiedBy(boolean isAuthenticated, Set<String> scopes) {
        return satisfiedBy(isAuthenticated, scopes, Set.of());
    }

    /** @param policies the names of the configured policies the caller satisfies (an unconfigured one is never among them) */
    public boolean satisfiedBy(boolean isAuthenticated, Set<String> scopes, Set<String> policies) {
        if ((authenticated || !scopeAlternatives.isEmpty()) && !isAuthenticated) return false;
        if (!scopeAlternatives.isEmpty() && scopeAlternatives.stream().noneMatch(scopes::containsAll)) return false;
        return policyAlternatives.isEmpty() || policyAlternatives.stream().anyMatch(policies::containsAll);
    }

    AccessRequirement and(AccessRequirement other) {
        if (other == null) return this;
        return new AccessRequirement(authenticated || other.authenticated, both(scopeAlternatives, other.scopeAlternatives),
                both(policyAlternatives, other.policyAlternatives));
    }

    /** Both requirements at once: every pair of alternatives, joined (empty: no requirement). */
    private static List<List<String>> both(List<List<String>> a, List<List<String>> b) {
        if (a.isEmpty()) return b;
        if (b.isEmpty()) return a;
        List<List<String>> combined = new ArrayList<>();
        for (List<String> left : a) {
            for (List<String> right : b) {
                LinkedHashSet<String> all = new LinkedHashSet<>(left);
                all.addAll(right);
                combined.add(List.copyOf(all));
            }
        }
        return combined;
    }
}
