package dev.vestibule.router.operation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place GraphQL error maps are built and read, for every producer: the preparer's parse, validation and
 * variable errors, the executor's subgraph and null-propagation errors, the shaper's authorization errors, and the
 * server's refusals and internal errors (which write these maps as bodies). Always {message, locations, path,
 * extensions} in that order (a map that keeps it, so the same error is always the same bytes); locations, path and
 * extensions are left out when empty. They are copied: the caller may keep changing its own.
 */
public final class GraphQLErrors {
    private GraphQLErrors() {}

    /** An error of the whole request with its code: {message, extensions: {code}}. */
    public static Map<String, Object> error(String message, String code) {
        return error(message, List.of(), List.of(), Map.of("code", code));
    }

    /** An error at {@code path} (empty: none) with no extensions. */
    public static Map<String, Object> error(String message, List<Object> path) {
        return error(message, List.of(), path, Map.of());
    }

    /** An error at {@code path} (empty: none) with {@code extensions} (empty: none), in their order. */
    public static Map<String, Object> error(Object message, List<Object> path, Map<String, Object> extensions) {
        return error(message, List.of(), path, extensions);
    }

    /** An error in the document at {@code locations} (from {@link #location}) with its code, as parse and validation give them. */
    public static Map<String, Object> located(String message, List<Map<String, Object>> locations, String code) {
        return error(message, locations, List.of(), Map.of("code", code));
    }

    /** A place in the operation's document, both counted from 1. */
    public static Map<String, Object> location(int line, int column) {
        Map<String, Object> location = new LinkedHashMap<>();
        location.put("line", line);
        location.put("column", column);
        return location;
    }

    private static Map<String, Object> error(Object message, List<Map<String, Object>> locations, List<Object> path,
                                             Map<String, Object> extensions) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        if (!locations.isEmpty()) error.put("locations", List.copyOf(locations));
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

    /** The error's {@code extensions.code} (any JSON value; null when it has none), as a subgraph or the router set it. */
    public static Object code(Map<?, ?> error) {
        return error.get("extensions") instanceof Map<?, ?> extensions ? extensions.get("code") : null;
    }

    /** The error's message (null when it has none). */
    public static Object message(Map<?, ?> error) {
        return error.get("message");
    }
}
