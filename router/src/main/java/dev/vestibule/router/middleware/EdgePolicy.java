package dev.vestibule.router.middleware;

/**
 * Everything a request passes before the router plans it, in order: CORS and CSRF checks, authentication, persisted
 * operations (APQ or the safelist), then rate limits. Built from
 * the router config; the BFF modules will reuse it.
 */
public record EdgePolicy(BrowserPolicy browser, Authenticator authenticator, RateLimiter rateLimiter,
                         PersistedQueries persistedQueries, HeaderRules headerRules) implements AutoCloseable {

    /** No authentication, no limits; browser defaults (no cross-origin reads, CSRF prevention on). */
    public static EdgePolicy open() {
        return new EdgePolicy(BrowserPolicy.DEFAULTS, new Authenticator(AuthenticationSettings.OFF), new RateLimiter(RateLimitSettings.NONE),
                PersistedQueries.defaults(), HeaderRules.NONE);
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
        return new EdgePolicy(browser, new Authenticator(authentication), new RateLimiter(rateLimits), new PersistedQueries(persisted),
                headerRules);
    }

    @Override
    public void close() {
        authenticator.close();
        rateLimiter.close();
        persistedQueries.close();
    }
}
