package dev.vestibule.router.execution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The objects an entity fetch is for: every object found along a plan path in the response data. Where one of them
 * is (its response path, for an error) is worked out only when asked, by walking the path again: an entity fetch
 * collects hundreds of objects per request and needs none of their paths when it succeeds (a path step per visited
 * object was 8 % of the router's allocation).
 */
final class Entities {
    private Entities() {}

    /** Every object found along a plan path, where "@" steps into each element of a list; nulls are skipped. */
    static List<Map<String, Object>> collect(Map<String, Object> root, List<String> path) {
        List<Map<String, Object>> out = new ArrayList<>();
        walk(root, path, 0, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void walk(Object value, List<String> path, int depth, List<Map<String, Object>> out) {
        if (value == null) return;
        if (depth == path.size()) {
            if (value instanceof Map<?, ?> map) out.add((Map<String, Object>) map);
            else if (value instanceof List<?> list) { // a path that ends on a list: every element is an entity
                for (int i = 0, n = list.size(); i < n; i++) walk(list.get(i), path, depth, out);
            }
            return;
        }
        String step = path.get(depth);
        if (step.equals("@")) {
            if (value instanceof List<?> list) {
                for (int i = 0, n = list.size(); i < n; i++) walk(list.get(i), path, depth + 1, out);
            }
        } else if (value instanceof Map<?, ?> map) {
            walk(map.get(step), path, depth + 1, out);
        }
    }

    /**
     * The response path (field keys and list indexes, e.g. [users, 0, reviews, 1, product]) of {@code target}, an
     * object {@link #collect} found along {@code path}; empty when it is no longer there.
     */
    static List<Object> pathTo(Map<String, Object> root, List<String> path, Map<String, Object> target) {
        List<Object> at = new ArrayList<>();
        return find(root, path, 0, target, at) ? at : new ArrayList<>();
    }

    private static boolean find(Object value, List<String> path, int depth, Object target, List<Object> at) {
        if (value == null) return false;
        if (depth == path.size()) {
            if (value == target) return true;
            return value instanceof List<?> list && findInList(list, path, depth, target, at);
        }
        String step = path.get(depth);
        if (step.equals("@")) return value instanceof List<?> list && findInList(list, path, depth + 1, target, at);
        if (!(value instanceof Map<?, ?> map)) return false;
        at.add(step);
        if (find(map.get(step), path, depth + 1, target, at)) return true;
        at.removeLast();
        return false;
    }

    private static boolean findInList(List<?> list, List<String> path, int depth, Object target, List<Object> at) {
        for (int i = 0, n = list.size(); i < n; i++) {
            at.add(i);
            if (find(list.get(i), path, depth, target, at)) return true;
            at.removeLast();
        }
        return false;
    }
}
