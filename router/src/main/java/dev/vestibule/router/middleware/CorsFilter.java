package dev.vestibule.router.middleware;

import java.util.Map;

/**
 * CORS ({@link BrowserPolicy}): answers a preflight (OPTIONS) with its grants, or 403 for an origin not allowed;
 * on any other request adds the headers that let an allowed origin read the answer, whatever the answer is.
 * First in the chain: a preflight carries no credentials and must not meet the checks after it.
 */
public final class CorsFilter implements EdgeFilter {
    private static final Map<String, String> VARY_ORIGIN = Map.of("Vary", "Origin");
    private final BrowserPolicy browser;

    public CorsFilter(BrowserPolicy browser) {
        this.browser = browser;
    }

    @Override
    public Phase phase() {
        return Phase.REQUEST;
    }

    @Override
    public Decision apply(EdgeRequest request) {
        String origin = request.header("origin");
        if (request.method().equals("OPTIONS")) {
            Map<String, String> grants = browser.preflight(origin);
            if (grants == null) return new Decision.Reject(403, VARY_ORIGIN, "origin " + origin + " is not allowed", "CORS_ORIGIN_NOT_ALLOWED", false);
            return new Decision.Respond(204, grants);
        }
        browser.corsHeaders(origin).forEach(request::responseHeader);
        return Decision.CONTINUE;
    }
}
