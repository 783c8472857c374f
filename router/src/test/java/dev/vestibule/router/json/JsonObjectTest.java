package dev.vestibule.router.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** JsonObject must behave as a LinkedHashMap does, on both sides of the size where it starts indexing its keys. */
class JsonObjectTest {

    @Test
    void randomOperationsMatchALinkedHashMap() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            JsonObject object = new JsonObject(1 + random.nextInt(4));
            Map<String, Object> expected = new LinkedHashMap<>();
            int keySpace = 1 + random.nextInt(40);
            for (int step = 0; step < 300; step++) {
                // new String: equal keys that are not the same object must still be found
                String key = new String("k" + random.nextInt(keySpace));
                Object value = random.nextInt(5) == 0 ? null : random.nextInt(1000);
                switch (random.nextInt(6)) {
                    case 0, 1, 2 -> assertEquals(expected.put(key, value), object.put(key, value), "put " + key);
                    case 3 -> assertEquals(expected.remove(key), object.remove(key), "remove " + key);
                    case 4 -> {
                        Iterator<Map.Entry<String, Object>> it = object.entrySet().iterator();
                        Iterator<Map.Entry<String, Object>> theirs = expected.entrySet().iterator();
                        while (it.hasNext()) {
                            Map.Entry<String, Object> mine = it.next();
                            assertEquals(theirs.next().getKey(), mine.getKey());
                            if (mine.getKey().equals(key)) {
                                it.remove();
                                theirs.remove();
                            }
                        }
                    }
                    default -> {
                        assertEquals(expected.get(key), object.get(key), "get " + key);
                        assertEquals(expected.containsKey(key), object.containsKey(key), "containsKey " + key);
                    }
                }
                assertEquals(expected.size(), object.size());
            }
            assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(object.entrySet()), "order of round " + round);
            assertEquals(expected, object);
            assertEquals(object, expected);
            assertEquals(expected.hashCode(), object.hashCode());
            for (int i = 0; i < object.size(); i++) assertEquals(object.get(object.keyAt(i)), object.valueAt(i));
        }
    }

    @Test
    void entriesWriteThroughAndNullValuesAreKept() {
        JsonObject object = new JsonObject();
        object.put("a", 1);
        object.put("b", null);
        for (Map.Entry<String, Object> entry : object.entrySet()) entry.setValue(entry.getKey() + "!");
        assertEquals(Map.of("a", "a!", "b", "b!"), object);
        object.put("b", null);
        assertTrue(object.containsKey("b"));
        assertFalse(object.equals(Map.of("a", "a!", "c", 1)), "a null value is not an absent key");
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("a", "a!");
        withNull.put("b", null);
        assertEquals(withNull, object);
        assertThrows(NullPointerException.class, () -> object.put(null, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> object.keyAt(2));
    }

    @Test
    void largeObjectsKeepOrderAcrossTheIndex() {
        JsonObject object = new JsonObject();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add("field" + i);
            object.put("field" + i, i);
        }
        for (int i = 0; i < 100; i += 3) object.remove("field" + i);
        keys.removeIf(k -> Integer.parseInt(k.substring(5)) % 3 == 0);
        assertEquals(keys, new ArrayList<>(object.keySet()));
        for (String key : keys) assertEquals(Integer.parseInt(key.substring(5)), object.get(key));
        assertEquals(null, object.get("field0"));
    }

    @Test
    void aShallowCopySharesNoArrays() {
        for (int n : new int[] {0, 1, 5, 16, 40}) {
            JsonObject original = new JsonObject();
            for (int i = 0; i < n; i++) original.put("k" + i, i);
            JsonObject copy = original.shallowCopy();
            for (int i = 0; i < n; i++) copy.setValueAt(i, ((Integer) copy.valueAt(i)) * 10);
            assertEquals(n, copy.size());
            for (int i = 0; i < n; i++) assertEquals(i * 10, copy.get(new String("k" + i)), "k" + i + " of " + n);
            copy.put("added", 1);
            copy.remove("k0");
            assertEquals(n, original.size(), "the original is untouched");
            if (n > 0) assertEquals(0, original.get("k0"));
            assertEquals(null, original.get("added"));
        }
    }
}
