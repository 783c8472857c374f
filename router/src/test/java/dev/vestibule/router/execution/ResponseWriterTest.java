package dev.vestibule.router.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The writer's own string path must write exactly the bytes Jackson's escaping writes, whatever the string holds. */
class ResponseWriterTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void thePlainAsciiScanFindsEverySpecialByteAtEveryOffset() {
        for (int length = 0; length < 40; length++) {
            byte[] plain = "a".repeat(length).getBytes(StandardCharsets.US_ASCII);
            assertEquals(true, ResponseWriter.plainAscii(plain), "length " + length);
            for (int at = 0; at < length; at++) {
                for (int b : new int[] {0x00, 0x1f, '"', '\\', '?', 0x80, 0xc3, 0xff}) {
                    byte[] bytes = plain.clone();
                    bytes[at] = (byte) b;
                    assertEquals(false, ResponseWriter.plainAscii(bytes), "byte " + b + " at " + at + " of " + length);
                }
                for (int b : new int[] {0x20, '!', '#', '>', '@', '[', ']', 'z', 0x7f}) {
                    byte[] bytes = plain.clone();
                    bytes[at] = (byte) b;
                    assertEquals(true, ResponseWriter.plainAscii(bytes), "byte " + b + " at " + at + " of " + length);
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
        }

        for (String s : strings) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("value", s);
            body.put("list", List.of(s, s));
            // writeValueAsBytes uses the same UTF-8 generator (writeValueAsString's escapes surrogate pairs differently)
            String expected = new String(JACKSON.writeValueAsBytes(body), StandardCharsets.UTF_8);
            String actual = new String(ResponseWriter.toBytes(body), StandardCharsets.UTF_8);
            assertEquals(expected, actual, () -> "for " + s.chars().mapToObj(Integer::toHexString).toList());
        }
    }
}
