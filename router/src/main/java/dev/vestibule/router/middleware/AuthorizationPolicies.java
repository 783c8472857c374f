package dev.vestibule.router.middleware;

import dev.vestibule.router.operation.Caller;
import dev.vestibule.router.supergraph.Supergraph;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named policies that {@code @policy} refers to ({@code authorization} in the router config): each is a
 * {@link PolicyExpression} over the caller's scopes and claims, evaluated once per request. A policy the supergraph
 * uses but the config lacks is satisfied by nobody: its fields are denied. {@code refuseUnknown} turns such a
 * supergraph away instead (at start, or on a hot reload).
 */
public final class AuthorizationPolicies {
    public static final AuthorizationPolicies NONE = new AuthorizationPolicies(Map.of(), false);
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationPolicies.class);

    private final Map<String, PolicyExpression> policies;
    private final boolean refuseUnknown;
    /** Every anonymous request is the same caller: evaluated once. */
    private final Caller anonymous;

    public AuthorizationPolicies(Map<String, PolicyExpression> policies, boolean refuseUnknown) {
        this.policies = Map.copyOf(policies);
        this.refuseUnknown = refuseUnknown;
        this.anonymous = policies.isEmpty() ? Caller.ANONYMOUS : new Caller(false, Set.of(), satisfiedBy(null, Set.of()));
    }

    public Set<String> names() {
        return policies.keySet();
    }

    public boolean refuseUnknown() {
        return refuseUnknown;
    }

    /** The caller an operation runs as: authenticated or not, its scopes, the policies it satisfies (evaluated here, once). */
    public Caller caller(Identity identity) {
        if (identity == null) return anonymous;
        Set<String> scopes = Set.copyOf(identity.scopes());
        return new Caller(true, scopes, satisfiedBy(identity, scopes));
    }

    /** Parses each policy's expression; @throws IllegalArgumentException naming the policy and what is wrong. */
    public static AuthorizationPolicies parse(Map<String, String> expressions, boolean refuseUnknown) {
        Map<String, PolicyExpression> policies = new LinkedHashMap<>();
        expressions.forEach((name, text) -> {
            try {
                policies.put(name, PolicyExpression.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("policy '" + name + "': " + e.getMessage(), e);
            }
        });
        return new AuthorizationPolicies(policies, refuseUnknown);
    }

    /** The names of the policies a caller satisfies; {@code identity} null for an anonymous caller. */
    Set<String> satisfiedBy(Identity identity, Set<String> scopes) {
        if (policies.isEmpty()) return Set.of();
        boolean authenticated = identity != null;
        Map<String, Object> claims = identity == null ? Map.of() : identity.claims();
        Set<String> satisfied = new HashSet<>();
        policies.forEach((name, policy) -> {
            if (policy.test(authenticated, scopes, claims)) satisfied.add(name);
        });
        return satisfied;
    }

    /** The policies {@code supergraph} uses that are not configured here, sorted. */
    public List<String> unknownIn(Supergraph supergraph) {
        return supergraph.policyNames().stream().filter(name -> !policies.containsKey(name)).toList();
    }

    /**
     * Checks a supergraph about to be served: each unknown policy is logged (its fields are denied to everyone), or,
     * with {@code refuseUnknown}, the supergraph is refused.
     *
     * @throws IllegalStateException with {@code refuseUnknown}, naming the unknown policies
     */
    public void check(Supergraph supergraph) {
        List<String> unknown = unknownIn(supergraph);
        if (unknown.isEmpty()) return;
        if (refuseUnknown) {
            throw new IllegalStateException("the supergraph uses @policy names that authorization.policies does not define: "
                    + String.join(", ", unknown) + " (define them, or set authorization.unknown_policies: deny)");
        }
        LOG.warn("the supergraph uses @policy names that authorization.policies does not define: {}; the fields that need them "
                + "are denied to every caller", String.join(", ", unknown));
    }
}
