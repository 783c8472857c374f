package dev.vestibule.router.json;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A JSON object as the router holds subgraph data: its keys and values in two arrays, in insertion order, looked up by
 * a scan. A mutable {@link Map} with the usual contract (equals and hashCode as any map's).
 *
 * <p>Why not a LinkedHashMap: response objects have a handful of fields, and a request's data is walked several times
 * (merging, collecting entities, projecting representations, shaping) while fifty other requests' data pass through
 * the same core's caches. A LinkedHashMap is three objects plus one per entry; its lookups were a large share of the
 * router's CPU under UNIQUE_AUTH, most of it waiting on memory (docs/performance.md, "Figures behind the code").
 * Keys that Jackson reads are interned and the shaper's keys too, so most comparisons end at the identity test.
 * Objects with many fields get a hash index.
 */
public final class JsonObject extends AbstractMap<String, Object> {
    /** From this many fields on, lookups go through a hash index instead of the scan. */
    private static final int INDEXED_FROM = 16;

    private String[] keys;
    private Object[] values;
    private int size;
    private HashMap<String, Integer> index;

    public JsonObject() {
        this(4);
    }

    public JsonObject(int capacity) {
        keys = new String[Math.max(1, capacity)];
        values = new Object[keys.length];
    }

    private JsonObject(String[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
        if (size >= INDEXED_FROM) reindex(size);
    }

    /** A copy of this object: its own arrays, the same keys and values (no key is looked up). */
    public JsonObject shallowCopy() {
        int capacity = Math.max(1, size);
        String[] sameKeys = new String[capacity];
        Object[] sameValues = new Object[capacity];
        System.arraycopy(keys, 0, sameKeys, 0, size);
        System.arraycopy(values, 0, sameValues, 0, size);
        return new JsonObject(sameKeys, sameValues, size);
    }

    /** Replaces the i-th value. */
    public void setValueAt(int i, Object value) {
        Objects.checkIndex(i, size);
        values[i] = value;
    }

    /** The i-th key, in insertion order. */
    public String keyAt(int i) {
        Objects.checkIndex(i, size);
        return keys[i];
    }

    /** The i-th value, in insertion order. */
    public Object valueAt(int i) {
        Objects.checkIndex(i, size);
        return values[i];
    }

    private int indexOf(Object key) {
        if (index != null) {
            Integer at = index.get(key);
            return at == null ? -1 : at;
        }
        String[] ks = keys;
        for (int i = 0, n = size; i < n; i++) {
            String k = ks[i];
            if (k == key || k.equals(key)) return i;
        }
        return -1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public Object getOrDefault(Object key, Object defaultValue) {
        int i = indexOf(key);
        return i < 0 ? defaultValue : values[i];
    }

    @Override
    public Object put(String key, Object value) {
        Objects.requireNonNull(key, "a JSON object's key");
        int i = indexOf(key);
        if (i >= 0) {
            Object old = values[i];
            values[i] = value;
            return old;
        }
        append(key, value);
        return null;
    }

    private void append(String key, Object value) {
        if (size == keys.length) {
            // not Arrays.copyOf: for a String[] it takes the reflective path (Array.newInstance), seen in profiles
            String[] moreKeys = new String[size * 2];
            Object[] moreValues = new Object[size * 2];
            System.arraycopy(keys, 0, moreKeys, 0, size);
            System.arraycopy(values, 0, moreValues, 0, size);
            keys = moreKeys;
            values = moreValues;
        }
        keys[size] = key;
        values[size] = value;
        if (index != null) {
            index.put(key, size);
        } else if (size + 1 == INDEXED_FROM) {
            reindex(size + 1);
        }
        size++;
    }

    private void reindex(int count) {
        index = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) index.put(keys[i], i);
    }

    @Override
    public Object remove(Object key) {
        int i = indexOf(key);
        if (i < 0) return null;
        Object old = values[i];
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        int moved = size - i - 1;
        System.arraycopy(keys, i + 1, keys, i, moved);
        System.arraycopy(values, i + 1, values, i, moved);
        size--;
        keys[size] = null;
        values[size] = null;
        if (index != null) {
            if (size < INDEXED_FROM) index = null;
            else reindex(size);
        }
    }

    @Override
    public void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
        index = null;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        for (int i = 0; i < size; i++) action.accept(keys[i], values[i]);
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) return true;
        if (!(o instanceof Map<?, ?> other) || other.size() != size) return false;
        for (int i = 0; i < size; i++) {
            Object value = values[i];
            Object theirs = other.get(keys[i]);
            if (value == null ? theirs != null || !other.containsKey(keys[i]) : !value.equals(theirs)) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 0;
        for (int i = 0; i < size; i++) hash += keys[i].hashCode() ^ Objects.hashCode(values[i]);
        return hash;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public void clear() {
                JsonObject.this.clear();
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;
                    private int last = -1;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (next >= size) throw new NoSuchElementException();
                        last = next++;
                        return new Field(last);
                    }

                    @Override
                    public void remove() {
                        if (last < 0) throw new IllegalStateException();
                        removeAt(last);
                        next = last;
                        last = -1;
                    }
                };
            }
        };
    }

    /** An entry that reads and writes through to its slot (valid until a field before it is removed). */
    private final class Field implements Map.Entry<String, Object> {
        private final int at;

        Field(int at) {
            this.at = at;
        }

        @Override
        public String getKey() {
            return keys[at];
        }

        @Override
        public Object getValue() {
            return values[at];
        }

        @Override
        public Object setValue(Object value) {
            Object old = values[at];
            values[at] = value;
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && keys[at].equals(e.getKey()) && Objects.equals(values[at], e.getValue());
        }

        @Override
        public int hashCode() {
            return keys[at].hashCode() ^ Objects.hashCode(values[at]);
        }

        @Override
        public String toString() {
            return keys[at] + "=" + values[at];
        }
    }
}
