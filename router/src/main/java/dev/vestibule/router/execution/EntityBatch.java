package dev.vestibule.router.execution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What one entity fetch sends and where each answer goes: the distinct representations of the collected entities, and
 * for the i-th entity the index of its representation ({@code slots[i]}), or -1 for an entity the fetch is not for;
 * {@code basis} is the lineage of the data they were taken from. Entities are told apart by their collection order, so
 * a batch also serves another request whose data has the same lineage: its entities come in the same order.
 */
record EntityBatch(List<Map<String, Object>> representations, int[] slots, Lineage basis) {

    /**
     * The batch of {@code entities}, collected from data of lineage {@code basis} (under the lock they were collected
     * under); {@code representation} gives null for an entity the fetch is not for.
     */
    static EntityBatch of(List<Map<String, Object>> entities, Function<Map<String, Object>, Map<String, Object>> representation,
                          Lineage basis) {
        int count = entities.size();
        int[] slots = new int[count];
        List<Map<String, Object>> representations = new ArrayList<>();
        // sized for every entity (no re-bucketing as it grows), one lookup per entity (a representation's hash is
        // computed over its fields on every lookup)
        Map<Map<String, Object>, Integer> index = HashMap.newHashMap(count);
        for (int e = 0; e < count; e++) {
            Map<String, Object> of = representation.apply(entities.get(e));
            if (of == null) {
                slots[e] = -1;
                continue;
            }
            Integer at = index.putIfAbsent(of, representations.size());
            if (at == null) {
                at = representations.size();
                representations.add(of);
            }
            slots[e] = at;
        }
        return new EntityBatch(List.copyOf(representations), slots, basis);
    }

    boolean isEmpty() {
        return representations.isEmpty();
    }

    /** For each representation, the first entity (by index) it stands for: where its errors are reported. */
    int[] firstEntities() {
        int[] first = new int[representations.size()];
        Arrays.fill(first, -1);
        for (int e = slots.length - 1; e >= 0; e--) if (slots[e] >= 0) first[slots[e]] = e;
        return first;
    }
}
