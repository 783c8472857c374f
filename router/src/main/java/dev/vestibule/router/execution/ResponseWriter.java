package dev.vestibule.router.execution;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
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

    private static void write(JsonGenerator out, Object value) throws IOException {
        switch (value) {
            case null -> out.writeNull();
            case String s -> out.writeString(s);
            case ShapedObject object -> {
                out.writeStartObject();
                for (int i = 0; i < object.fieldCount(); i++) {
                    out.writeFieldName(object.name(i));
                    write(out, object.value(i));
                }
                out.writeEndObject();
            }
            case Map<?, ?> map -> {
                out.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.writeFieldName(String.valueOf(entry.getKey()));
                    write(out, entry.getValue());
                }
                out.writeEndObject();
            }
            case List<?> list -> {
                out.writeStartArray();
                for (int i = 0, n = list.size(); i < n; i++) write(out, list.get(i));
                out.writeEndArray();
            }
            case Integer i -> out.writeNumber(i);
            case Long l -> out.writeNumber(l);
            case Double d -> out.writeNumber(d);
            case Boolean b -> out.writeBoolean(b);
            case BigInteger b -> out.writeNumber(b);
            case BigDecimal b -> out.writeNumber(b);
            case Float f -> out.writeNumber(f);
            default -> MAPPER.writeValue(out, value);
        }
    }
}
