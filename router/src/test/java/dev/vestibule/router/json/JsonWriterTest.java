package dev.vestibule.router.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The writer's own string path must write exactly the bytes Jackson's escaping writes, whatever the string holds. */
class JsonWriterTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void thePlainAsciiScanFindsEverySpecialByteAtEveryOffset() {
        for (int length = 0; length < 40; length++) {
            byte[] plain = "a".repeat(length).getBytes(StandardCharsets.US_ASCII);
            assertEquals(true, JsonOutput.plainAscii(plain), "length " + length);
            for (int at = 0; at < length; at++) {
                for (int b : new int[] {0x00, 0x1f, '"', '\\', '?', 0x80, 0xc3, 0xff}) {
                    byte[] bytes = plain.clone();
                    bytes[at] = (byte) b;
                    assertEquals(false, JsonOutput.plainAscii(bytes), "byte " + b + " at " + at + " of " + length);
                }
                for (int b : new int[] {0x20, '!', '#', '>', '@', '[', ']', 'z', 0x7f}) {
                    byte[] bytes = plain.clone();
                    bytes[at] = (byte) b;
                    assertEquals(true, JsonOutput.plainAscii(bytes), "byte " + b + " at " + at + " of " + length);
                }
            }
        }
    }

    @Test
    void stringsAreWrittenAsJacksonWritesThem() throws Exception {
        List<String> strings = new ArrayList<>(List.of(
                "", "plain ascii", "a \"quoted\" word", "back\\slash", "tab\there", "new\nline", "nul\u0000byte",
                "\u001f unit separator", "del \u007f", "question?", "Zürich", "łódź", "emoji \uD83D\uDE00",
                "lone high \uD800 surrogate", "lone low \uDC00", "\uD800", "?", "\u2028 line separator", "</script>",
                "x".repeat(10_000)));
        for (int c = 0; c < 0x100; c++) strings.add("char " + (char) c + " end");
        // the scan reads eight bytes at a time, then the rest one by one: every special char at every offset
        for (char c : new char[] {'"', '\\', '?', '\u0000', '\n', '\u001f', '\u0080', '\u00e9', '\u0141', '\uD800', ' ', '~', '\u007f'}) {
            for (int at = 0; at < 20; at++) strings.add("x".repeat(at) + c + "y".repeat(19 - at));
            // short strings are checked char by char, longer ones encoded and scanned: both sides of the cut
            for (int length : new int[] {47, 48, 49, 50, 120}) {
                for (int at : new int[] {0, 7, 8, 40, length - 1}) strings.add("x".repeat(at) + c + "y".repeat(length - 1 - at));
            }
        }

        for (String s : strings) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("value", s);
            body.put("list", List.of(s, s));
            // writeValueAsBytes uses the same UTF-8 generator (writeValueAsString's escapes surrogate pairs differently)
            String expected = new String(JACKSON.writeValueAsBytes(body), StandardCharsets.UTF_8);
            String actual = new String(JsonWriter.toBytes(body), StandardCharsets.UTF_8);
            assertEquals(expected, actual, () -> "for " + s.chars().mapToObj(Integer::toHexString).toList());
        }
    }

    @Test
    void numbersAndOtherValuesAreWrittenAsJacksonWritesThem() throws Exception {
        List<Object> values = new ArrayList<>(List.of(0, 1, -1, 9, 10, 99, 100, 123_456_789, Integer.MAX_VALUE, Integer.MIN_VALUE,
                -2_000_000_000, 0L, -7L, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE, (long) Integer.MIN_VALUE,
                0.0, -0.0, 0.1, 1.5, 1e10, 1e-7, 123456789.125, Double.MAX_VALUE, Double.MIN_VALUE, Double.NaN,
                Double.POSITIVE_INFINITY, 1.25f, Float.NaN, new BigInteger("123456789012345678901234567890"),
                new BigDecimal("1.50"), new BigDecimal("1E+3"), (short) -12, (byte) 7, true, false,
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), 'c', List.of(), Map.of()));
        values.add(null);
        for (int i = -1000; i <= 1000; i += 7) values.add(i);
        for (Object value : values) {
            List<Object> body = new ArrayList<>();
            body.add(value);
            String expected = new String(JACKSON.writeValueAsBytes(body), StandardCharsets.UTF_8);
            assertEquals(expected, new String(JsonWriter.toBytes(body), StandardCharsets.UTF_8), () -> "for " + value);
        }
    }

    @Test
    void answersOfEverySizeComeOutWholeWhateverTheLastOneWas() throws Exception {
        JsonWriter writer = new JsonWriter();
        for (int size : new int[] {0, 10, 100_000, 10, 3_000_000, 600, 600, 2_000_000, 0}) {
            JsonObject object = new JsonObject();
            object.put("text", "y".repeat(size));
            object.put("list", List.of(1, 2L, 3.5, true, "z"));
            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("n", null);
            object.put("nested", nested);
            JsonBytes written = writer.write(object);
            String expected = new String(JACKSON.writeValueAsBytes(object), StandardCharsets.UTF_8);
            assertEquals(expected, new String(written.array(), 0, written.length(), StandardCharsets.UTF_8), "size " + size);
            assertEquals(expected.length(), written.toArray().length);
            // one answer can go to several clients: each buffer has its own position
            ByteBuffer first = written.buffer();
            first.get(new byte[first.remaining()]);
            assertEquals(written.length(), written.buffer().remaining());
        }
    }
}
