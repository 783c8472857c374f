package dev.vestibule.router.config;

import dev.vestibule.router.middleware.AuthorizationPolicies;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The {@code authorization} section: the named policies of @policy, each an expression over scopes and claims. */
final class AuthorizationSection {
    static final String KEY = "authorization";

    private AuthorizationSection() {}

    static AuthorizationPolicies parse(ConfigNode node) {
        node.allowOnly(Set.of("policies", "unknown_policies"));
        Map<String, String> expressions = new LinkedHashMap<>();
        node.get("policies").map().forEach((name, expression) -> {
            String text = expression.requiredString();
            try {
                AuthorizationPolicies.parse(Map.of(name, text), false);
            } catch (IllegalArgumentException e) {
                throw expression.error("not a valid policy: " + e.getCause().getMessage());
            }
            expressions.put(name, text);
        });
        String unknown = node.get("unknown_policies").string("deny");
        if (!unknown.equals("deny") && !unknown.equals("refuse")) {
            throw node.get("unknown_policies").error("expected deny or refuse, got '" + unknown + "'");
        }
        return AuthorizationPolicies.parse(expressions, unknown.equals("refuse"));
    }
}
