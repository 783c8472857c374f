package dev.vestibule.router.middleware;

/**
 * The parts of the edge, built from the router config: browser policy (CORS, CSRF), authentication, rate limits,
 * persisted operations, header rules, authorization policies. It owns the resources they hold (Redis clients, JWKS
 * refreshers) and closes them; {@link EdgeChain#of} puts the parts in the order every request passes them.
 */
public record EdgePolicy(BrowserPolicy browser, Authenticator authenticator, RateLimiter rateLimiter,
                         PersistedQueries persistedQueries, HeaderRules headerRules, AuthorizationPolicies authorization)
        implements AutoCloseable {

    /** No authentication, no limits; browser defaults (no cross-origin reads, CSRF prevention on). */
    public static EdgePolicy open() {
        return new EdgePolicy(BrowserPolicy.DEFAULTS, new Authenticator(AuthenticationSettings.OFF), new RateLimiter(RateLimitSettings.NONE),
                PersistedQueries.defaults(), HeaderRules.NONE, AuthorizationPolicies.NONE);
    }

    public static EdgePolicy of(AuthenticationSettings authentication, RateLimitSettings rateLimits) {
        return of(BrowserPolicy.DEFAULTS, authentication, rateLimits);
    }

    public static EdgePolicy of(BrowserPolicy browser, AuthenticationSettings authentication, RateLimitSettings rateLimits) {
        return of(browser, authentication, rateLimits, PersistedQueries.Settings.DEFAULTS);
    }

    public static EdgePolicy of(BrowserPolicy browser, AuthenticationSettings authentication, RateLimitSettings rateLimits,
                                PersistedQueries.Settings persisted) {
        return of(browser, authentication, rateLimits, persisted, HeaderRules.NONE);
    }

    public static EdgePolicy of(BrowserPolicy browser, AuthenticationSettings authentication, RateLimitSettings rateLimits,
                                PersistedQueries.Settings persisted, HeaderRules headerRules) {
        return of(browser, authentication, rateLimits, persisted, headerRules, AuthorizationPolicies.NONE);
    }

    public static EdgePolicy of(BrowserPolicy browser, AuthenticationSettings authentication, RateLimitSettings rateLimits,
                                PersistedQueries.Settings persisted, HeaderRules headerRules, AuthorizationPolicies authorization) {
        // whatever can carry the identity is the router's alone, on every request (HeaderRules)
        return new EdgePolicy(browser, new Authenticator(authentication), new RateLimiter(rateLimits), new PersistedQueries(persisted),
                headerRules.reserving(authentication.forwardClaims().values()), authorization);
    }

    @Override
    public void close() {
        authenticator.close();
        rateLimiter.close();
        persistedQueries.close();
    }
}
