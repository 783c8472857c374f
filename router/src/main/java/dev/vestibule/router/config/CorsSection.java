package dev.vestibule.router.config;

import dev.vestibule.router.middleware.BrowserPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The {@code cors} section: which origins may read answers, with credentials or not, preflight headers and cache time. */
record CorsSection(List<String> origins, boolean allowCredentials, List<String> allowHeaders, Duration maxAge) {
    static final String KEY = "cors";

    static CorsSection parse(ConfigNode cors) {
        BrowserPolicy d = BrowserPolicy.DEFAULTS;
        cors.allowOnly(Set.of("origins", "allow_credentials", "allow_headers", "max_age"));
        List<String> origins = cors.get("origins").strings();
        boolean credentials = cors.get("allow_credentials").bool(false);
        if (credentials && origins.contains("*")) {
            throw cors.get("allow_credentials").error("cannot be true with origins: [\"*\"] (browsers refuse it); list the origins");
        }
        List<String> headers = cors.get("allow_headers").isMissing() ? d.allowedHeaders() : cors.get("allow_headers").strings();
        return new CorsSection(origins, credentials, headers, cors.get("max_age").positiveDuration(d.preflightMaxAge()));
    }
}
