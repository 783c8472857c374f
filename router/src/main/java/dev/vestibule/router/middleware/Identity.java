package dev.vestibule.router.middleware;

import java.util.List;
import java.util.Map;

/** Who a request is: the token's subject or the API key's consumer, its plan, scopes and claims. */
public record Identity(String subject, String consumer, String plan, List<String> scopes, Map<String, Object> claims,
                       String method) {
    public Identity {
        scopes = List.copyOf(scopes);
        claims = Map.copyOf(claims);
    }
}
