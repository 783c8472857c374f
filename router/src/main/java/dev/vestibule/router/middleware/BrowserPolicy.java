package dev.vestibule.router.middleware;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What browsers may do: CORS (which origins may read answers, with or without credentials, and how long a preflight
 * is cached) and CSRF prevention as Apollo Router does it: a request a browser could send cross-site without a
 * preflight (a "simple" request: GET, or POST with a form or text content type, and none of the required headers) is
 * refused, so a malicious page cannot make a user's browser run operations with the user's cookies.
 */
public record BrowserPolicy(List<String> allowedOrigins, boolean allowCredentials, List<String> allowedHeaders,
                            Duration preflightMaxAge, boolean csrfPrevention, List<String> csrfRequiredHeaders) {

    private static final Set<String> SIMPLE_CONTENT_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");

    /** No cross-origin reads; CSRF prevention on with Apollo's headers. */
    public static final BrowserPolicy DEFAULTS = new BrowserPolicy(List.of(), false,
            List.of("content-type", "authorization", "apollo-require-preflight", "x-apollo-operation-name", "x-api-key"),
            Duration.ofMinutes(10), true, List.of("apollo-require-preflight", "x-apollo-operation-name"));

    public BrowserPolicy {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedHeaders = allowedHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        csrfRequiredHeaders = csrfRequiredHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    public boolean originAllowed(String origin) {
        return origin != null && (allowedOrigins.contains("*") && !allowCredentials || allowedOrigins.contains(origin));
    }

    /** Headers that let a browser on an allowed origin read the answer; none for other origins. */
    public Map<String, String> corsHeaders(String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Vary", "Origin");
        if (!originAllowed(origin)) return headers;
        headers.put("Access-Control-Allow-Origin", origin);
        if (allowCredentials) headers.put("Access-Control-Allow-Credentials", "true");
        return headers;
    }

    /** The grants for a preflight (OPTIONS with Access-Control-Request-Method), or null when the origin is not allowed. */
    public Map<String, String> preflight(String origin) {
        if (!originAllowed(origin)) return null;
        Map<String, String> headers = corsHeaders(origin);
        headers.put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        headers.put("Access-Control-Allow-Headers", String.join(", ", allowedHeaders));
        headers.put("Access-Control-Max-Age", Long.toString(preflightMaxAge.toSeconds()));
        return headers;
    }

    /** Null when the request may go on; a 400 refusal for a simple request without a preflight-forcing header. */
    public Admission.Refused csrf(String contentType, Function<String, String> header) {
        if (!csrfPrevention) return null;
        for (String required : csrfRequiredHeaders) {
            String value = header.apply(required);
            if (value != null && !value.isEmpty()) return null;
        }
        String type = "";
        if (contentType != null) {
            int parameters = contentType.indexOf(';');
            type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
        }
        if (!type.isEmpty() && !SIMPLE_CONTENT_TYPES.contains(type)) return null;
        return new Admission.Refused(400, Map.of(), "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF): "
                + "send a Content-Type other than a form or text type (e.g. application/json), or one of these headers: "
                + String.join(", ", csrfRequiredHeaders), "CSRF_PREVENTED");
    }
}
