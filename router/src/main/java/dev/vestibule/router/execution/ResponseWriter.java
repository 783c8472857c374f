package dev.vestibule.router.execution;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes a response (maps, lists, strings, numbers, booleans, nulls, {@link ShapedObject}s) as JSON bytes straight
 * through Jackson's streaming generator: no serializer lookup per value, and a shaped object's field names go out
 * pre-encoded. Anything else falls back to Jackson's data binding.
 */
public final class ResponseWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private ResponseWriter() {}

    public static byte[] toBytes(Object body) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(16 * 1024);
             JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, body);
            generator.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // an instanceof chain rather than a pattern switch: the switch's type-test bootstrap measured several times slower here
    private static void write(JsonGenerator out, Object value) throws IOException {
        if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof ShapedObject object) {
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
