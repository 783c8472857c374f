package dev.vestibule.router.http;

import dev.vestibule.router.json.JsonBytes;
import dev.vestibule.router.json.JsonWriter;
import java.util.List;
import java.util.Map;

/**
 * The GraphQL error bodies the HTTP server writes itself ({"errors": [{message, extensions: {code}}]}): refusals,
 * request errors, internal errors, Jetty's own refusals. Executed requests' bodies come from the router.
 */
final class GraphQLErrors {
    /** Sizes each body's buffer by the last one. */
    private static final JsonWriter WRITER = new JsonWriter();

    private GraphQLErrors() {}

    static Map<String, Object> error(String message, String code) {
        return Map.of("message", message, "extensions", Map.of("code", code));
    }

    /** One error with its code. */
    static JsonBytes body(String message, String code) {
        return body(List.of(error(message, code)));
    }

    static JsonBytes body(List<Map<String, Object>> errors) {
        return WRITER.write(Map.of("errors", errors));
    }

    /** One error with only a message (the service routes' 404 and 405). */
    static byte[] messageOnly(String message) {
        return JsonWriter.toBytes(Map.of("errors", List.of(Map.of("message", message))));
    }

    /**
     * The answer to a request that failed inside the router: a generic message, a code and the request's id, which
     * finds the details in the log. Never the exception's text: it can hold a claim, a subgraph's address, a config value.
     */
    static Map<String, Object> internalError(String requestId) {
        return Map.of("message", "internal router error; quote request id " + requestId + " when reporting it",
                "extensions", Map.of("code", "INTERNAL_SERVER_ERROR", "requestId", requestId));
    }
}
