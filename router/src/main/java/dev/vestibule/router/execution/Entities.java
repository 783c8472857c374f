package dev.vestibule.router.execution;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects an entity fetch is for: every object found along a plan path in the response data. Where they are
 * (their response paths, for errors) is worked out only when a fetch has an error, by walking the path again: an
 * entity fetch collects hundreds of objects per request and needs none of their paths when it succeeds (a path step
 * per visited object was a visible share of the router's allocation, docs/performance.md, "Figures behind the code").
 */
final class Entities {
    private Entities() {}

    /**
     * Every object found along the plan paths, path after path, where "@" steps into each element of a list; nulls are
     * skipped.
     */
    static List<Map<String, Object>> collect(Map<String, Object> root, List<List<String>> paths) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0, n = paths.size(); i < n; i++) walk(root, paths.get(i), 0, out);
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
     * The response paths (field keys and list indexes, e.g. [users, 0, reviews, 1, product]) of every object
     * {@link #collect} finds along {@code paths}, by identity: one walk for all the errors of a fetch, however many.
     */
    static Map<Object, List<Object>> paths(Map<String, Object> root, List<List<String>> paths) {
        Map<Object, List<Object>> out = new IdentityHashMap<>();
        for (List<String> path : paths) walkWithPath(root, path, 0, new ArrayList<>(), out);
        return out;
    }

    private static void walkWithPath(Object value, List<String> path, int depth, List<Object> at, Map<Object, List<Object>> out) {
        if (value == null) return;
        if (depth == path.size()) {
            if (value instanceof Map<?, ?>) out.putIfAbsent(value, List.copyOf(at));
            else if (value instanceof List<?> list) walkList(list, path, depth, at, out);
            return;
        }
        String step = path.get(depth);
        if (step.equals("@")) {
            if (value instanceof List<?> list) walkList(list, path, depth + 1, at, out);
        } else if (value instanceof Map<?, ?> map) {
            at.add(step);
            walkWithPath(map.get(step), path, depth + 1, at, out);
            at.removeLast();
        }
    }

    private static void walkList(List<?> list, List<String> path, int depth, List<Object> at, Map<Object, List<Object>> out) {
        for (int i = 0, n = list.size(); i < n; i++) {
            at.add(i);
            walkWithPath(list.get(i), path, depth, at, out);
            at.removeLast();
        }
    }
}
