package dev.vestibule.router.execution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An object in the response data and its response path (field keys and list indexes). */
record Positioned(Map<String, Object> object, List<Object> path) {

    /** Every object found along a plan path, where "@" steps into each element of a list; nulls are skipped. */
    static List<Positioned> collect(Map<String, Object> root, List<String> path) {
        List<Positioned> out = new ArrayList<>();
        walk(root, path, 0, new ArrayList<>(), out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void walk(Object value, List<String> path, int at, List<Object> where, List<Positioned> out) {
        if (value == null) return;
        if (at == path.size()) {
            if (value instanceof Map<?, ?> map) out.add(new Positioned((Map<String, Object>) map, List.copyOf(where)));
            else if (value instanceof List<?> list) { // a path that ends on a list: every element is an entity
                for (int i = 0; i < list.size(); i++) {
                    where.add(i);
                    walk(list.get(i), path, at, where, out);
                    where.remove(where.size() - 1);
                }
            }
            return;
        }
        String step = path.get(at);
        if (step.equals("@")) {
            if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    where.add(i);
                    walk(list.get(i), path, at + 1, where, out);
                    where.remove(where.size() - 1);
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            where.add(step);
            walk(map.get(step), path, at + 1, where, out);
            where.remove(where.size() - 1);
        }
    }
}
