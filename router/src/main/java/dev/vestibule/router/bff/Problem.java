package dev.vestibule.router.bff;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem body ({@code application/problem+json}): what every refusal and failure of a BFF route
 * answers. {@code detail} says what the client can do; it never carries an exception's text, a subgraph's address or
 * a config value.
 */
record Problem(int status, String type, String title, String detail, Map<String, Object> extensions) {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPES = "https://vestibule.dev/problems/";

    static Problem of(int status, String type, String title, String detail) {
        return new Problem(status, type, title, detail, Map.of());
    }

    Problem with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(name, value);
        return new Problem(status, type, title, detail, more);
    }

    Map<String, Object> body(String instance, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPES + type);
        body.put("title", title);
        body.put("status", status);
        if (detail != null) body.put("detail", detail);
        body.put("instance", instance);
        body.put("requestId", requestId);
        body.putAll(extensions);
        return body;
    }
}
