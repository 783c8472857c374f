package dev.vestibule.tests.differential;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Leaf values seen in answers, by the response key they came under ({@code upc}, {@code id}, {@code email}). The
 * generator takes an argument's value from here when it can (an argument {@code upc} gets a {@code upc} a subgraph
 * returned), so that arguments name things the subgraphs know and answers carry data, not just nulls. Insertion
 * ordered and capped, so that the same answers give the same pool and the same operations.
 */
public final class ValuePool {
    private static final int MAX_PER_NAME = 40;
    private final Map<String, Set<Object>> byName = new LinkedHashMap<>();

    /** Adds every scalar under an object key of {@code answer} (the {@code data} of a response). */
    public void learn(JsonNode answer) {
        if (answer == null) return;
        if (answer.isObject()) {
            answer.properties().forEach(e -> {
                JsonNode value = e.getValue();
                if (value.isTextual()) add(e.getKey(), value.asText());
                else if (value.isInt()) add(e.getKey(), value.asInt());
                else learn(value);
            });
        } else if (answer.isArray()) {
            answer.forEach(this::learn);
        }
    }

    public void add(String name, Object value) {
        Set<Object> values = byName.computeIfAbsent(name, n -> new LinkedHashSet<>());
        if (values.size() < MAX_PER_NAME) values.add(value);
    }

    /** The values seen under {@code name}, or else under its last camel-case word ({@code productUpc}: {@code upc}). */
    public List<Object> valuesFor(String name) {
        Set<Object> exact = byName.get(name);
        if (exact != null && !exact.isEmpty()) return new ArrayList<>(exact);
        int last = -1;
        for (int i = name.length() - 1; i > 0; i--) {
            if (Character.isUpperCase(name.charAt(i))) {
                last = i;
                break;
            }
        }
        if (last > 0) {
            String word = Character.toLowerCase(name.charAt(last)) + name.substring(last + 1);
            Set<Object> tail = byName.get(word);
            if (tail != null && !tail.isEmpty()) return new ArrayList<>(tail);
        }
        return List.of();
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }
}
