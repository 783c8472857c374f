package dev.vestibule.router.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON into the values the router works on: {@link JsonObject}s, {@link ArrayList}s, strings, numbers (Integer,
 * Long or BigInteger for integers, as small as they fit; Double for the rest), booleans and nulls. The same values as
 * Jackson's untyped binding, without its LinkedHashMaps, straight off the streaming parser.
 */
public final class JsonReader {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonReader() {}

    /** The JSON object in {@code bytes}; an IOException when they hold anything else or are not JSON. */
    public static JsonObject readObject(byte[] bytes) throws IOException {
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new JsonParseException(parser, first == null ? "no content" : "a JSON object was expected, not " + first);
            }
            return readObject(parser);
        }
    }

    /** The one JSON value in {@code bytes} (anything after it is ignored, as Jackson's data binding ignores it). */
    public static Object readValue(byte[] bytes) throws IOException {
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) throw new JsonParseException(parser, "no content");
            return readValue(parser, first);
        }
    }

    /** The object whose START_OBJECT the parser is on. */
    private static JsonObject readObject(JsonParser parser) throws IOException {
        JsonObject object = new JsonObject();
        String key;
        while ((key = parser.nextFieldName()) != null) {
            object.put(key, readValue(parser, parser.nextToken()));
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) throw new JsonParseException(parser, "an object is not closed");
        return object;
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) throw new JsonParseException(parser, "the JSON ends in the middle of a value");
        return switch (token) {
            case VALUE_STRING -> parser.getText();
            case START_OBJECT -> readObject(parser);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) list.add(readValue(parser, next));
                yield list;
            }
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new JsonParseException(parser, "unexpected " + token);
        };
    }
}
