package dev.vestibule.router.operation;

import java.util.Set;

/** Who runs an operation, as far as @authenticated and @requiresScopes care. */
public record Caller(boolean authenticated, Set<String> scopes) {
    public static final Caller ANONYMOUS = new Caller(false, Set.of());

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    /** A stable text for cache keys. */
    String signature() {
        return authenticated + ":" + new java.util.TreeSet<>(scopes);
    }
}
