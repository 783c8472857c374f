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
    void stringsAreWrittenAsJacksonWritesThem() throws Exception {
        List<String> strings = new ArrayList<>(List.of(
                "", "plain ascii", "a \"quoted\" word", "back\\slash", "tab\there", "new\nline", "nul\u0000byte",
                "\u001f unit separator", "del \u007f", "question?", "Zürich", "łódź", "emoji \uD83D\uDE00",
                "lone high \uD800 surrogate", "lone low \uDC00", "\uD800", "?", "\u2028 line separator", "</script>",
                "x".repeat(10_000)));
        for (int c = 0; c < 0x100; c++) strings.add("char " + (char) c + " end");

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
