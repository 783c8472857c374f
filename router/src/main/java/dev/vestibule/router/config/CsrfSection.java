package dev.vestibule.router.config;

import dev.vestibule.router.middleware.BrowserPolicy;
import java.util.List;
import java.util.Set;

/** The {@code csrf} section: CSRF prevention on or off, and the headers that prove a preflight. */
record CsrfSection(boolean enabled, List<String> requiredHeaders) {
    static final String KEY = "csrf";

    static CsrfSection parse(ConfigNode csrf) {
        csrf.allowOnly(Set.of("enabled", "required_headers"));
        List<String> required = csrf.get("required_headers").isMissing()
                ? BrowserPolicy.DEFAULTS.csrfRequiredHeaders() : csrf.get("required_headers").strings();
        return new CsrfSection(csrf.get("enabled").bool(true), required);
    }

    /** The browser policy of both browser sections. */
    BrowserPolicy browserPolicy(CorsSection cors) {
        return new BrowserPolicy(cors.origins(), cors.allowCredentials(), cors.allowHeaders(), cors.maxAge(), enabled, requiredHeaders);
    }
}
