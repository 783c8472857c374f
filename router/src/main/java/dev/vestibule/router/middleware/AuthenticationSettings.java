package dev.vestibule.router.middleware;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How requests prove who they are: JWT bearer tokens from one or more issuers, API keys, or neither; whether that is
 * required, optional or off; and which identity claims reach subgraphs as headers. Read from the {@code
 * authentication} section of the router config (docs/configuration.md).
 */
public record AuthenticationSettings(Mode mode, String jwtHeader, Duration clockSkew, int maxTokenBytes,
                                     List<Issuer> issuers, String apiKeyHeader, List<ApiKey> apiKeys,
                                     Map<String, String> forwardClaims, List<String> requiredScopes,
                                     Map<String, Mode> routeModes) {

    public static final AuthenticationSettings OFF = new AuthenticationSettings(Mode.OFF, "authorization",
            Duration.ofSeconds(60), 8192, List.of(), "x-api-key", List.of(), Map.of(), List.of(), Map.of());

    public AuthenticationSettings {
        issuers = List.copyOf(issuers);
        apiKeys = List.copyOf(apiKeys);
        forwardClaims = Map.copyOf(forwardClaims);
        requiredScopes = List.copyOf(requiredScopes);
        routeModes = Map.copyOf(routeModes);
    }

    /** The mode of one route (a path such as /graphql): its own when configured, else {@link #mode()}. */
    public Mode modeFor(String route) {
        return routeModes.getOrDefault(route, mode);
    }

    public AuthenticationSettings(Mode mode, String jwtHeader, Duration clockSkew, int maxTokenBytes, List<Issuer> issuers,
                                  String apiKeyHeader, List<ApiKey> apiKeys, Map<String, String> forwardClaims) {
        this(mode, jwtHeader, clockSkew, maxTokenBytes, issuers, apiKeyHeader, apiKeys, forwardClaims, List.of(), Map.of());
    }

    public enum Mode {
        /** Every request needs a valid token or key. */
        REQUIRED,
        /** Anonymous requests pass; a token or key that is present must be valid. */
        OPTIONAL,
        /** Nothing is checked and no identity reaches subgraphs. */
        OFF
    }

    /**
     * A trusted token issuer: its keys from a JWKS URL (cached, refreshed in the background, refetched at most once per
     * {@code unknownKidRefetch} when a token names an unknown key) or a local JWKS file, or an HMAC secret (then only
     * HS256/384/512 are accepted from it).
     */
    public record Issuer(String issuer, String jwksUrl, String jwksFile, String secret, List<String> audiences,
                         List<String> algorithms, List<String> requiredClaims, Duration jwksRefresh,
                         Duration unknownKidRefetch) {
        public Issuer {
            audiences = List.copyOf(audiences);
            algorithms = List.copyOf(algorithms);
            requiredClaims = List.copyOf(requiredClaims);
        }
    }

    /** An API key, stored as the hex SHA-256 of the key, mapped to the consumer that holds it and its plan. */
    public record ApiKey(String sha256, String consumer, String plan) {}
}
