package dev.vestibule.router.supergraph;

import java.util.List;
import java.util.Set;

/**
 * What a type or field of the supergraph demands of the caller (@authenticated, @requiresScopes): to be
 * authenticated, and to hold every scope of at least one of the alternatives.
 */
public record AccessRequirement(boolean authenticated, List<List<String>> scopeAlternatives) {
    public AccessRequirement {
        scopeAlternatives = scopeAlternatives.stream().map(List::copyOf).toList();
    }

    public boolean satisfiedBy(boolean isAuthenticated, Set<String> scopes) {
        if ((authenticated || !scopeAlternatives.isEmpty()) && !isAuthenticated) return false;
        if (scopeAlternatives.isEmpty()) return true;
        return scopeAlternatives.stream().anyMatch(scopes::containsAll);
    }

    AccessRequirement and(AccessRequirement other) {
        if (other == null) return this;
        List<List<String>> combined = scopeAlternatives.isEmpty() ? other.scopeAlternatives : scopeAlternatives;
        if (!scopeAlternatives.isEmpty() && !other.scopeAlternatives.isEmpty()) {
            combined = new java.util.ArrayList<>();
            for (List<String> a : scopeAlternatives) {
                for (List<String> b : other.scopeAlternatives) {
                    java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(a);
                    all.addAll(b);
                    combined.add(List.copyOf(all));
                }
            }
        }
        return new AccessRequirement(authenticated || other.authenticated, combined);
    }
}
