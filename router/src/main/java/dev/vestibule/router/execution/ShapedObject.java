package dev.vestibule.router.execution;

import com.fasterxml.jackson.core.io.SerializedString;
import dev.vestibule.router.json.PreEncodedObject;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A response object as the shaper builds it: the field names (shared by every object shaped by the same selections,
 * with their JSON encoding precomputed) and one value per name, in query order. It is a read-only Map for
 * everything that reads responses; the response writer streams it without hashing a key.
 */
public final class ShapedObject extends AbstractMap<String, Object> implements PreEncodedObject {
    private final String[] keys;
    private final SerializedString[] names;
    private final Object[] values;

    ShapedObject(String[] keys, SerializedString[] names, Object[] values) {
        this.keys = keys;
        this.names = names;
        this.values = values;
    }

    @Override
    public int fieldCount() {
        return keys.length;
    }

    /** The i-th field's name, JSON-encoded once for all objects of its shape. */
    @Override
    public SerializedString name(int i) {
        return names[i];
    }

    @Override
    public Object value(int i) {
        return values[i];
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean containsKey(Object key) {
        for (String k : keys) if (k.equals(key)) return true;
        return false;
    }

    @Override
    public Object get(Object key) {
        for (int i = 0; i < keys.length; i++) if (keys[i].equals(key)) return values[i];
        return null;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (next >= keys.length) throw new NoSuchElementException();
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }
        };
    }
}
