package dev.vestibule.samples.server;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every GraphQL request a subgraph received, in arrival order, so that tests can assert how a router talked to it.
 * Bounded: the newest {@link #CAPACITY} entries are kept; {@link #totalCount()} counts all since the last clear.
 */
public final class RequestLog {
    public static final int CAPACITY = 10_000;

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();

    /** One received request. representations/typenames are empty unless the request was an _entities call. */
    public record Entry(long sequence, String operationName, String query, Map<String, Object> variables,
                        int representations, List<String> typenames, Map<String, String> headers) {
        public boolean isEntitiesCall() {
            return query != null && query.contains("_entities");
        }
    }

    Entry record(String operationName, String query, Map<String, Object> variables, Map<String, String> headers) {
        List<String> typenames = new ArrayList<>();
        int count = 0;
        // Whatever the router names the variable: a list of objects with __typename is the representations.
        for (Object value : variables == null ? List.of() : variables.values()) {
            if (value instanceof List<?> list && !list.isEmpty()
                    && list.stream().allMatch(item -> item instanceof Map<?, ?> map && map.containsKey("__typename"))) {
                count += list.size();
                list.forEach(item -> typenames.add(String.valueOf(((Map<?, ?>) item).get("__typename"))));
            }
        }
        synchronized (entries) {
            Entry entry = new Entry(sequence.incrementAndGet(), operationName, query,
                    variables == null ? Map.of() : variables, count, List.copyOf(typenames), Map.copyOf(headers));
            entries.addLast(entry);
            if (entries.size() > CAPACITY) entries.removeFirst();
            return entry;
        }
    }

    public List<Entry> entries() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    /** Requests since the last clear (including any dropped beyond the capacity). */
    public long totalCount() {
        return sequence.get();
    }

    public List<Entry> entitiesCalls() {
        return entries().stream().filter(Entry::isEntitiesCall).toList();
    }

    public void clear() {
        synchronized (entries) {
            entries.clear();
            sequence.set(0);
        }
    }
}
