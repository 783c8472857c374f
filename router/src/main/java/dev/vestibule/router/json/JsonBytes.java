package dev.vestibule.router.json;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Written JSON: the first {@code length} bytes of {@code array} (the array may be longer). */
public record JsonBytes(byte[] array, int length) {

    /** A fresh buffer over the JSON: each send gets its own position, so one answer can go to several clients. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(array, 0, length);
    }

    /** The JSON in an array of its own exact length. */
    public byte[] toArray() {
        return array.length == length ? array : Arrays.copyOf(array, length);
    }
}
