package dev.vestibule.router.execution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GraphQL error maps the engine writes into answers, built in one place: always {message, path, extensions} in that
 * order (a map that keeps it, so the same error is always the same bytes), the path left out when it is empty (an
 * error of the whole operation) and the extensions when there are none. The path and extensions are copied: the caller
 * may keep changing its own.
 */
public final class GraphQLErrors {
    private GraphQLErrors() {}

    /** An error at {@code path} (empty: none) with no extensions. */
    public static Map<String, Object> error(String message, List<Object> path) {
        return error(message, path, Map.of());
    }

    /** An error at {@code path} (empty: none) with {@code extensions} (empty: none), in their order. */
    public static Map<String, Object> error(Object message, List<Object> path, Map<String, Object> extensions) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        if (!path.isEmpty()) error.put("path", new ArrayList<>(path)); // not List.copyOf: a subgraph's path may hold a null
        if (!extensions.isEmpty()) error.put("extensions", new LinkedHashMap<>(extensions));
        return error;
    }

    /** The extensions {code, serviceName}, in that order. */
    public static Map<String, Object> codeAndService(Object code, String subgraph) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("code", code);
        extensions.put("serviceName", subgraph);
        return extensions;
    }
}
