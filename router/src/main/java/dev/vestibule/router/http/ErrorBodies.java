package dev.vestibule.router.http;

import dev.vestibule.router.json.JsonBytes;
import dev.vestibule.router.json.JsonWriter;
import dev.vestibule.router.operation.GraphQLErrors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GraphQL error bodies the HTTP server writes itself ({"errors": [...]}): refusals, request errors, internal
 * errors, Jetty's own refusals. The error maps come from {@link GraphQLErrors}, as the engine's do; executed requests'
 * bodies come from the engine.
 */
final class ErrorBodies {
    /** Sizes each body's buffer by the last one. */
    private static final JsonWriter WRITER = new JsonWriter();

    private ErrorBodies() {}

    /** One error with its code. */
    static JsonBytes body(String message, String code) {
        return body(List.of(GraphQLErrors.error(message, code)));
    }

    static JsonBytes body(List<Map<String, Object>> errors) {
        return WRITER.write(Map.of("errors", errors));
    }

    /** One error, as bytes (Jetty's error handler writes them outside the request path). */
    static byte[] bytes(Map<String, Object> error) {
        return JsonWriter.toBytes(Map.of("errors", List.of(error)));
    }

    /** One error with only a message (the service routes' 404 and 405). */
    static byte[] messageOnly(String message) {
        return bytes(GraphQLErrors.error(message, List.of()));
    }

    /**
     * The answer to a request that failed inside the router: a generic message, a code and the request's id, which
     * finds the details in the log. Never the exception's text: it can hold a claim, a subgraph's address, a config value.
     */
    static Map<String, Object> internalError(String requestId) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("code", "INTERNAL_SERVER_ERROR");
        extensions.put("requestId", requestId);
        return GraphQLErrors.error("internal router error; quote request id " + requestId + " when reporting it", List.of(), extensions);
    }
}
