package dev.vestibule.router.execution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An object in the response data and where it is. The response path (field keys and list indexes) is kept as a link
 * to its parent step and only spelt out as a list when asked for (errors): an entity fetch collects hundreds of
 * objects per request and needs none of their paths when it succeeds.
 */
record Positioned(Map<String, Object> object, Step at) {

    /** One step of a response path: a field key or a list index, after its parent's. */
    record Step(Step parent, Object key) {}

    /** The response path, e.g. [users, 0, reviews, 1, product]. */
    List<Object> path() {
        List<Object> out = new ArrayList<>();
        for (Step step = at; step != null; step = step.parent()) out.add(step.key());
        Collections.reverse(out);
        return out;
    }

    /** Every object found along a plan path, where "@" steps into each element of a list; nulls are skipped. */
    static List<Positioned> collect(Map<String, Object> root, List<String> path) {
        List<Positioned> out = new ArrayList<>();
        walk(root, path, 0, null, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void walk(Object value, List<String> path, int depth, Step at, List<Positioned> out) {
        if (value == null) return;
        if (depth == path.size()) {
            if (value instanceof Map<?, ?> map) out.add(new Positioned((Map<String, Object>) map, at));
            else if (value instanceof List<?> list) { // a path that ends on a list: every element is an entity
                for (int i = 0; i < list.size(); i++) walk(list.get(i), path, depth, new Step(at, i), out);
            }
            return;
        }
        String step = path.get(depth);
        if (step.equals("@")) {
            if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) walk(list.get(i), path, depth + 1, new Step(at, i), out);
            }
        } else if (value instanceof Map<?, ?> map) {
            walk(map.get(step), path, depth + 1, new Step(at, step), out);
        }
    }
}
