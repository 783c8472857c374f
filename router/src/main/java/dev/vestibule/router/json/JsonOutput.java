package dev.vestibule.router.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * JSON written as UTF-8 straight into one growing byte array, which can be cut back to an earlier position: the
 * response shaper writes a value, and when null propagation turns it into null after all, it truncates to where the
 * value began and writes {@code null} instead.
 *
 * <p>The same output as Jackson's generator with its defaults (compact, no escaping of '/' or of non-ASCII text,
 * backslash-u escapes in upper-case hex for control chars and for every surrogate, NaN and infinities as strings,
 * {@code Double.toString} and {@code BigDecimal.toString}), without its per-token state checks: a response is mostly
 * short strings and small numbers, and the checks cost more than the bytes. Values of other types go through
 * Jackson's data binding.
 */
public final class JsonOutput {
    /**
     * Jackson's data binding, for values of other types only: made on first use, not with this class. Making an
     * ObjectMapper initialises much of data binding (time of one core before the router's first answer, seen in its
     * start-up profile: docs/performance.md, "Figures behind the code"), and the router's own answers never need it.
     */
    private static final class Binding {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int count;

    public JsonOutput(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    /** How many bytes are written: a position to {@link #truncate} back to. */
    public int position() {
        return count;
    }

    /** Forgets everything written after {@code position}. */
    public void truncate(int position) {
        if (position < 0 || position > count) throw new IllegalArgumentException("position " + position + " of " + count);
        count = position;
    }

    /** What is written, over this output's own array (no copy). */
    public JsonBytes toJsonBytes() {
        return new JsonBytes(bytes, count);
    }

    private void ensure(int more) {
        if (more > bytes.length - count) grow(more);
    }

    private void grow(int more) {
        long wanted = Math.max((long) bytes.length * 2, (long) count + more);
        if (wanted > Integer.MAX_VALUE - 8) {
            if ((long) count + more > Integer.MAX_VALUE - 8) throw new OutOfMemoryError("a JSON text over 2 GB");
            wanted = Integer.MAX_VALUE - 8;
        }
        bytes = Arrays.copyOf(bytes, (int) wanted);
    }

    public void raw(byte b) {
        ensure(1);
        bytes[count++] = b;
    }

    /** Bytes that are JSON already (a pre-encoded field name, a separator). */
    public void raw(byte[] json) {
        raw(json, 0, json.length);
    }

    public void raw(byte[] json, int offset, int length) {
        ensure(length);
        System.arraycopy(json, offset, bytes, count, length);
        count += length;
    }

    public void nullValue() {
        raw(NULL);
    }

    public void bool(boolean value) {
        raw(value ? TRUE : FALSE);
    }

    /** Up to this length a string is checked char by char and copied without an intermediate array. */
    private static final int SHORT_STRING = 48;

    /**
     * A JSON string. Most strings in an answer are short and ASCII with nothing to escape: checked char by char, they
     * are copied into the output as they are (no encoded copy of their own: those were a fifth of the router's
     * allocation). A longer one is encoded by the JDK in one vectorised copy and scanned eight bytes at a time.
     * Anything else goes char by char through the escaping writer.
     */
    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): the low byte of each char, exact for ASCII
    public void string(String s) {
        int n = s.length();
        if (n <= SHORT_STRING) {
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80 || c < 0x20 || c == '"' || c == '\\') {
                    escaped(s);
                    return;
                }
            }
            ensure(n + 2);
            byte[] out = bytes;
            int at = count;
            out[at] = '"';
            s.getBytes(0, n, out, at + 1);
            out[at + 1 + n] = '"';
            count = at + n + 2;
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length == n && plainAscii(utf8)) {
            ensure(n + 2);
            byte[] out = bytes;
            int at = count;
            out[at] = '"';
            System.arraycopy(utf8, 0, out, at + 1, n);
            out[at + 1 + n] = '"';
            count = at + n + 2;
        } else {
            escaped(s);
        }
    }

    /**
     * As Jackson writes a string: control chars, quotes and backslashes escaped, every UTF-16 surrogate (paired or
     * lone) as a backslash-u escape, the rest of the text as UTF-8.
     */
    private void escaped(String s) {
        int n = s.length();
        ensure(n * 6 + 2);
        byte[] out = bytes;
        int at = count;
        out[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    out[at++] = (byte) c;
                    continue;
                }
                out[at++] = '\\';
                switch (c) {
                    case '"' -> out[at++] = '"';
                    case '\\' -> out[at++] = '\\';
                    case '\n' -> out[at++] = 'n';
                    case '\r' -> out[at++] = 'r';
                    case '\t' -> out[at++] = 't';
                    case '\b' -> out[at++] = 'b';
                    case '\f' -> out[at++] = 'f';
                    default -> at = unicodeEscape(out, at, c);
                }
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                out[at++] = '\\';
                at = unicodeEscape(out, at, c);
            } else {
                out[at++] = (byte) (0xE0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        out[at++] = '"';
        count = at;
    }

    /** "u" and four hex digits (the backslash is written already), upper-case hex as Jackson writes it. */
    private static int unicodeEscape(byte[] out, int at, char c) {
        out[at++] = 'u';
        out[at++] = HEX[(c >> 12) & 0xF];
        out[at++] = HEX[(c >> 8) & 0xF];
        out[at++] = HEX[(c >> 4) & 0xF];
        out[at++] = HEX[c & 0xF];
        return at;
    }

    /** {@code "name":}, encoded once for names written many times (the response shaper's field names). */
    public static byte[] fieldName(String name) {
        JsonOutput out = new JsonOutput(name.length() + 3);
        out.string(name);
        out.raw((byte) ':');
        return Arrays.copyOf(out.bytes, out.count);
    }

    public void number(int value) {
        if (value == Integer.MIN_VALUE) {
            number((long) value);
            return;
        }
        ensure(11);
        if (value < 0) {
            bytes[count++] = '-';
            value = -value;
        }
        int digits = digits(value);
        int end = count + digits;
        for (int at = end - 1; at >= count; at--) {
            bytes[at] = (byte) ('0' + value % 10);
            value /= 10;
        }
        count = end;
    }

    public void number(long value) {
        if (value >= Integer.MIN_VALUE + 1 && value <= Integer.MAX_VALUE) {
            number((int) value);
        } else {
            asciiRaw(Long.toString(value));
        }
    }

    private static int digits(int positive) {
        int digits = 1;
        while (positive >= 10) {
            positive /= 10;
            digits++;
        }
        return digits;
    }

    public void number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) string(Double.toString(value)); // as Jackson quotes them
        else asciiRaw(Double.toString(value));
    }

    public void number(float value) {
        if (Float.isNaN(value) || Float.isInfinite(value)) string(Float.toString(value));
        else asciiRaw(Float.toString(value));
    }

    /** Text known to be plain ASCII (a number's digits). */
    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): the low byte of each char, exact for ASCII
    private void asciiRaw(String ascii) {
        int n = ascii.length();
        ensure(n);
        ascii.getBytes(0, n, bytes, count);
        count += n;
    }

    /**
     * Any value the router answers with: {@link JsonObject}s, maps, lists, strings, numbers, booleans, null.
     * An instanceof chain rather than a pattern switch: the switch's type-test bootstrap measured slower
     * (docs/performance.md, "Figures behind the code").
     */
    public void value(Object value) {
        if (value instanceof String s) {
            string(s);
        } else if (value instanceof JsonObject object) {
            ensure(1);
            bytes[count++] = '{';
            for (int i = 0, n = object.size(); i < n; i++) {
                if (i > 0) raw((byte) ',');
                string(object.keyAt(i));
                raw((byte) ':');
                value(object.valueAt(i));
            }
            raw((byte) '}');
        } else if (value instanceof List<?> list) {
            raw((byte) '[');
            for (int i = 0, n = list.size(); i < n; i++) {
                if (i > 0) raw((byte) ',');
                value(list.get(i));
            }
            raw((byte) ']');
        } else if (value == null) {
            nullValue();
        } else if (value instanceof Integer i) {
            number(i.intValue());
        } else if (value instanceof Boolean b) {
            bool(b);
        } else if (value instanceof Map<?, ?> map) {
            raw((byte) '{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) raw((byte) ',');
                first = false;
                string(String.valueOf(entry.getKey()));
                raw((byte) ':');
                value(entry.getValue());
            }
            raw((byte) '}');
        } else if (value instanceof Long l) {
            number(l.longValue());
        } else if (value instanceof Double d) {
            number(d.doubleValue());
        } else if (value instanceof BigInteger b) {
            asciiRaw(b.toString());
        } else if (value instanceof BigDecimal b) {
            asciiRaw(b.toString());
        } else if (value instanceof Float f) {
            number(f.floatValue());
        } else if (value instanceof Short || value instanceof Byte) {
            number(((Number) value).intValue());
        } else {
            try {
                raw(Binding.MAPPER.writeValueAsBytes(value));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON: " + e.getMessage(), e);
            }
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * No byte is >= 0x80, < 0x20, a quote, a backslash or '?' (what the JDK's encoder writes for a lone surrogate, which
     * must be escaped instead). Eight bytes at a time (the classic "has a zero byte" and
     * "has a byte less than n" word tests, exact as booleans): the byte-by-byte loop showed in the CPU profile under
     * load (docs/performance.md, "Figures behind the code").
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
