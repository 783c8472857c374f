package dev.vestibule.router.bff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the generated operation classes of a BFF module ({@link BffOperation}) call to turn a JSON-decoded answer
 * (maps, lists, strings, numbers, booleans, null: Jackson's, or the router's own JsonObject and ArrayList) into their
 * records and their variables records back into JSON values. Plain casts and loops: no reflection, so that decoding
 * costs what hand-written code would.
 *
 * <p>A value of the wrong JSON kind (a string where the schema says Int) is a broken answer, not a client's mistake:
 * it throws {@link ClassCastException}, which the host turns into a failed route.
 */
public final class BffJson {
    private BffJson() {}

    public static Map<?, ?> object(Object value) {
        return (Map<?, ?>) value;
    }

    public static String string(Object value) {
        return (String) value;
    }

    /** A non-null Int: the schema promises a value, so null here means the answer broke that promise. */
    public static int intValue(Object value) {
        return ((Number) present(value)).intValue();
    }

    public static Integer integer(Object value) {
        return value == null ? null : ((Number) value).intValue();
    }

    public static double doubleValue(Object value) {
        return ((Number) present(value)).doubleValue();
    }

    public static Double floatNumber(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    public static boolean booleanValue(Object value) {
        return (Boolean) present(value);
    }

    public static Boolean bool(Object value) {
        return (Boolean) value;
    }

    /** A custom scalar: the JSON value as decoded (its shape is the subgraph's to define). */
    public static Object scalar(Object value) {
        return value;
    }

    /** A JSON list decoded element by element; null stays null. */
    public static <T> List<T> list(Object value, Function<Object, T> element) {
        if (value == null) return null;
        List<?> items = (List<?>) value;
        List<T> decoded = new ArrayList<>(items.size());
        for (Object item : items) decoded.add(element.apply(item));
        return Collections.unmodifiableList(decoded);
    }

    /** Whether the object's {@code __typename} is one of the names (which type an abstract-typed object is). */
    public static boolean typenameIn(Map<?, ?> object, String... names) {
        Object typename = object.get("__typename");
        for (String name : names) {
            if (name.equals(typename)) return true;
        }
        return false;
    }

    /** A list of variables' values encoded element by element; null stays null. */
    public static <T> List<Object> encodeList(List<T> values, Function<T, Object> element) {
        if (values == null) return null;
        List<Object> encoded = new ArrayList<>(values.size());
        for (T value : values) encoded.add(element.apply(value));
        return encoded;
    }

    private static Object present(Object value) {
        if (value == null) throw new NullPointerException("the answer has null where the schema promises a value");
        return value;
    }
}
