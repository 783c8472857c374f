package dev.vestibule.router.operation;

import java.util.Set;

/**
 * Who runs an operation, as far as @authenticated, @requiresScopes and @policy care: authenticated or not, its
 * scopes, and the names of the configured policies it satisfies (evaluated once per request at the edge). Its
 * equality is that of its sets, so a caller is an unambiguous part of a cache key.
 */
public record Caller(boolean authenticated, Set<String> scopes, Set<String> policies) {
    public static final Caller ANONYMOUS = new Caller(false, Set.of(), Set.of());

    public Caller {
        scopes = Set.copyOf(scopes);
        policies = Set.copyOf(policies);
    }

    public Caller(boolean authenticated, Set<String> scopes) {
        this(authenticated, scopes, Set.of());
    }
}
