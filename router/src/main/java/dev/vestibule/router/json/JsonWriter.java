package dev.vestibule.router.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON values (maps, {@link JsonObject}s, {@link PreEncodedObject}s, lists, strings, numbers, booleans, nulls)
 * as UTF-8 bytes straight through Jackson's streaming generator: no serializer lookup per value, and a pre-encoded
 * object's field names go out as they are. Anything else falls back to Jackson's data binding.
 *
 * <p>An instance remembers the size of what it wrote last and starts the next output buffer at about that size, so
 * that a response of the usual size is written into one array that is sent as it is: no growing chain of blocks and
 * no copy into an exact-size array (those were a fifth of the router's allocation under UNIQUE_AUTH).
 */
public final class JsonWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final int SMALLEST = 512;
    /** An outsized answer does not make every later buffer start that large. */
    private static final int LARGEST_HINT = 1 << 20;

    private volatile int lastSize = SMALLEST;

    /** The JSON of {@code value}, in an array that may be longer than the JSON. */
    public JsonBytes write(Object value) {
        int hint = lastSize;
        Output out = new Output(Math.min(LARGEST_HINT, hint + (hint >> 3)));
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lastSize = Math.max(SMALLEST, out.count);
        return new JsonBytes(out.bytes, out.count);
    }

    /** The JSON of {@code value} in an array of its exact length. */
    public static byte[] toBytes(Object value) {
        return new JsonWriter().write(value).toArray();
    }

    /** A byte array that grows by doubling; the generator flushes its own buffer into it. */
    private static final class Output extends OutputStream {
        private byte[] bytes;
        private int count;

        Output(int capacity) {
            bytes = new byte[capacity];
        }

        private void ensure(int more) {
            if (count + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, count, len);
            count += len;
        }
    }

    // an instanceof chain rather than a pattern switch: the switch's type-test bootstrap measured several times slower here
    private static void write(JsonGenerator out, Object value) throws IOException {
        if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof PreEncodedObject object) {
            out.writeStartObject();
            for (int i = 0, n = object.fieldCount(); i < n; i++) {
                out.writeFieldName(object.name(i));
                write(out, object.value(i));
            }
            out.writeEndObject();
        } else if (value instanceof List<?> list) {
            out.writeStartArray();
            for (int i = 0, n = list.size(); i < n; i++) write(out, list.get(i));
            out.writeEndArray();
        } else if (value == null) {
            out.writeNull();
        } else if (value instanceof Integer i) {
            out.writeNumber(i);
        } else if (value instanceof Boolean b) {
            out.writeBoolean(b);
        } else if (value instanceof JsonObject object) {
            out.writeStartObject();
            for (int i = 0, n = object.size(); i < n; i++) {
                out.writeFieldName(object.keyAt(i));
                write(out, object.valueAt(i));
            }
            out.writeEndObject();
        } else if (value instanceof Map<?, ?> map) {
            out.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.writeFieldName(String.valueOf(entry.getKey()));
                write(out, entry.getValue());
            }
            out.writeEndObject();
        } else if (value instanceof Long l) {
            out.writeNumber(l);
        } else if (value instanceof Double d) {
            out.writeNumber(d);
        } else if (value instanceof BigInteger b) {
            out.writeNumber(b);
        } else if (value instanceof BigDecimal b) {
            out.writeNumber(b);
        } else if (value instanceof Float f) {
            out.writeNumber(f);
        } else {
            MAPPER.writeValue(out, value);
        }
    }

    /**
     * Most strings in an answer are ASCII with nothing to escape. The JDK encodes such a string to UTF-8 with one
     * vectorised copy; a scan of those bytes decides whether they can go out as they are, which is several times
     * cheaper than the generator's char-by-char escaping loop (JMH writeResponse 2.1-2.7 x; that loop was a quarter of
     * the router's CPU under UNIQUE_AUTH).
     * The bytes are only used when every char became one byte and none is a control char, a quote, a backslash or
     * '?' (what the encoder writes for a lone surrogate), so the output is exactly what writeString writes.
     */
    private static void writeString(JsonGenerator out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length == s.length() && plainAscii(utf8)) {
            out.writeRawUTF8String(utf8, 0, utf8.length);
        } else {
            out.writeString(s);
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * No byte is >= 0x80, < 0x20, a quote, a backslash or '?'. Eight bytes at a time (the classic "has a zero byte" and
     * "has a byte less than n" word tests, exact as booleans): the byte-by-byte loop was 7 % of the CPU under load.
     */
    static boolean plainAscii(byte[] bytes) {
        int i = 0;
        for (int n = bytes.length - 7; i < n; i += 8) {
            long word = (long) LONGS.get(bytes, i);
            long special = (word & HIGHS)
                    | ((word - ONES * 0x20) & ~word & HIGHS)
                    | hasZeroByte(word ^ (ONES * '"'))
                    | hasZeroByte(word ^ (ONES * '\\'))
                    | hasZeroByte(word ^ (ONES * '?'));
            if (special != 0) return false;
        }
        for (; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b < 0x20 || b == '"' || b == '\\' || b == '?') return false; // bytes >= 0x80 are negative
        }
        return true;
    }

    private static long hasZeroByte(long word) {
        return (word - ONES) & ~word & HIGHS;
    }
}
