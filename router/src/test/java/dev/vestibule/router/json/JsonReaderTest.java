package dev.vestibule.router.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reader gives the values Jackson's untyped binding gives (same types too), and refuses what is not an object. */
class JsonReaderTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void readsWhatJacksonReads() throws Exception {
        String json = """
                {"data": {"users": [{"id": "1", "name": "Ad\\u00e9 \\"quoted\\" \\n", "age": 42, "big": 12345678901,
                 "huge": 123456789012345678901234567890, "price": 9.5, "exp": 1e3, "neg": -0.0, "ok": true, "no": false,
                 "none": null, "tags": [], "meta": {}, "nested": [[1, 2], [{"a": null}]]}], "dup": 1, "dup": 2},
                 "errors": [{"message": "boom", "path": ["users", 0, "name"]}]}""";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Map<String, Object> expected = JACKSON.readValue(bytes, Map.class);
        JsonObject actual = JsonReader.readObject(bytes);
        assertEquals(expected, actual);
        assertSameTypes(expected, actual);
        Map<?, ?> user = (Map<?, ?>) ((List<?>) ((Map<?, ?>) actual.get("data")).get("users")).get(0);
        assertInstanceOf(JsonObject.class, user);
        assertSame("name".intern(), ((JsonObject) user).keyAt(1), "keys are interned, so lookups end at the identity test");
    }

    private static void assertSameTypes(Object expected, Object actual) {
        if (expected == null) {
            assertEquals(null, actual);
        } else if (expected instanceof Map<?, ?> map) {
            map.forEach((k, v) -> assertSameTypes(v, ((Map<?, ?>) actual).get(k)));
        } else if (expected instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) assertSameTypes(list.get(i), ((List<?>) actual).get(i));
        } else {
            assertEquals(expected.getClass(), actual.getClass(), "the type of " + expected);
        }
    }

    @Test
    void readsAnyOneValueAsJacksonsUntypedBindingDoes() throws Exception {
        for (String json : List.of("[1, \"two\", {\"three\": 3.5}]", "\"text\"", "12345678901", "true", "null", "{\"a\": [null]}")) {
            Object expected = new ObjectMapper().readValue(json, Object.class);
            assertEquals(expected, JsonReader.readValue(json.getBytes(StandardCharsets.UTF_8)), json);
        }
        for (String broken : List.of("", "[1,", "{\"a\" 1}", "tru")) {
            assertThrows(IOException.class, () -> JsonReader.readValue(broken.getBytes(StandardCharsets.UTF_8)), broken);
        }
    }

    @Test
    void refusesWhatIsNotAJsonObject() {
        for (String body : List.of("", "[1]", "\"text\"", "null", "{\"a\": 1", "{\"a\": [1, 2}", "{\"a\" 1}", "<html>")) {
            assertThrows(IOException.class, () -> JsonReader.readObject(body.getBytes(StandardCharsets.UTF_8)), body);
        }
    }
}
