package dev.vestibule.router.operation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A small least-recently-used cache. Values are computed outside the lock, so a slow computation never blocks
 * readers of other keys; two threads may compute the same missing key once each, and the first result stays.
 */
public final class BoundedCache<K, V> {
    private final Map<K, V> entries;
    private long hits;
    private long misses;

    public BoundedCache(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    public V computeIfAbsent(K key, Function<K, V> compute) {
        synchronized (entries) {
            V value = entries.get(key);
            if (value != null) {
                hits++;
                return value;
            }
            misses++;
        }
        V computed = compute.apply(key);
        synchronized (entries) {
            V raced = entries.putIfAbsent(key, computed);
            return raced != null ? raced : computed;
        }
    }

    /** The value, or null; counts as a use for the LRU order. */
    public V get(K key) {
        synchronized (entries) {
            return entries.get(key);
        }
    }

    public void put(K key, V value) {
        synchronized (entries) {
            entries.put(key, value);
        }
    }

    /** Up to {@code limit} keys, the most recently used first. */
    public List<K> recentKeys(int limit) {
        synchronized (entries) {
            List<K> keys = new ArrayList<>(entries.keySet()); // least recently used first
            return List.copyOf(keys.reversed().subList(0, Math.min(limit, keys.size())));
        }
    }

    public long hits() {
        synchronized (entries) {
            return hits;
        }
    }

    public long misses() {
        synchronized (entries) {
            return misses;
        }
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
