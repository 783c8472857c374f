package dev.vestibule.router.json;

/**
 * Writes JSON values (maps, {@link JsonObject}s, lists, strings, numbers, booleans, nulls) as UTF-8 through a
 * {@link JsonOutput}.
 *
 * <p>An instance remembers the size of what it wrote last and starts the next output buffer at about that size, so
 * that a response of the usual size is written into one array that is sent as it is: no growing chain of blocks and
 * no copy into an exact-size array (those were a fifth of the router's allocation under UNIQUE_AUTH).
 */
public final class JsonWriter {
    private static final int SMALLEST = 512;
    /** An outsized answer does not make every later buffer start that large. */
    private static final int LARGEST_HINT = 1 << 20;

    private volatile int lastSize = SMALLEST;

    /** The JSON of {@code value}, in an array that may be longer than the JSON. */
    public JsonBytes write(Object value) {
        JsonOutput out = newOutput();
        out.value(value);
        return finish(out);
    }

    /** An empty output sized for an answer like the last one; {@link #finish} it. */
    public JsonOutput newOutput() {
        int hint = lastSize;
        return new JsonOutput(Math.min(LARGEST_HINT, hint + (hint >> 3)));
    }

    /** What {@code out} holds, remembering its size for the next output. */
    public JsonBytes finish(JsonOutput out) {
        lastSize = Math.max(SMALLEST, out.position());
        return out.toJsonBytes();
    }

    /** The JSON of {@code value} in an array of its exact length. */
    public static byte[] toBytes(Object value) {
        JsonOutput out = new JsonOutput(SMALLEST);
        out.value(value);
        return out.toJsonBytes().toArray();
    }
}
