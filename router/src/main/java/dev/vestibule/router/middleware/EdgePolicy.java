package dev.vestibule.router.middleware;

/**
 * Everything a request passes before the router plans it, in order: authentication, then rate limits. Built from
 * the router config; the BFF modules will reuse it.
 */
public record EdgePolicy(Authenticator authenticator, RateLimiter rateLimiter) implements AutoCloseable {

    /** No authentication, no limits. */
    public static EdgePolicy open() {
        return new EdgePolicy(new Authenticator(AuthenticationSettings.OFF), new RateLimiter(RateLimitSettings.NONE));
    }

    public static EdgePolicy of(AuthenticationSettings authentication, RateLimitSettings rateLimits) {
        return new EdgePolicy(new Authenticator(authentication), new RateLimiter(rateLimits));
    }

    @Override
    public void close() {
        authenticator.close();
        rateLimiter.close();
    }
}
