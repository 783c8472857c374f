package dev.vestibule.router.telemetry;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each finished span as one JSON object per line to a local file ({@code telemetry.tracing.file}), for looking
 * at traces without a collector: {@code {"traceId", "spanId", "parentSpanId", "name", "kind", "startEpochNanos",
 * "endEpochNanos", "durationMs", "status", "attributes", "links", "resource"}}. Appends; run by the batch processor
 * on its own thread, never on a request's.
 */
final class JsonLinesSpanExporter implements SpanExporter {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesSpanExporter.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final OutputStream out;

    JsonLinesSpanExporter(Path file) throws IOException {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> spans) {
        try {
            ByteArrayOutputStream lines = new ByteArrayOutputStream(512 * spans.size());
            for (SpanData span : spans) {
                try (JsonGenerator json = JSON.createGenerator(lines, JsonEncoding.UTF8)) {
                    write(json, span);
                }
                lines.write('\n');
            }
            lines.writeTo(out);
            out.flush();
            return CompletableResultCode.ofSuccess();
        } catch (IOException e) {
            LOG.warn("cannot write spans to {}: {}", file, e.toString());
            return CompletableResultCode.ofFailure();
        }
    }

    private static void write(JsonGenerator json, SpanData span) throws IOException {
        json.writeStartObject();
        json.writeStringField("traceId", span.getTraceId());
        json.writeStringField("spanId", span.getSpanId());
        if (span.getParentSpanContext().isValid()) json.writeStringField("parentSpanId", span.getParentSpanId());
        json.writeStringField("name", span.getName());
        json.writeStringField("kind", span.getKind().name());
        json.writeNumberField("startEpochNanos", span.getStartEpochNanos());
        json.writeNumberField("endEpochNanos", span.getEndEpochNanos());
        json.writeNumberField("durationMs", (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6);
        json.writeStringField("status", span.getStatus().getStatusCode().name());
        if (!span.getStatus().getDescription().isEmpty()) json.writeStringField("statusDescription", span.getStatus().getDescription());
        json.writeObjectFieldStart("attributes");
        for (Map.Entry<AttributeKey<?>, Object> attribute : span.getAttributes().asMap().entrySet()) {
            writeValue(json, attribute.getKey().getKey(), attribute.getValue());
        }
        json.writeEndObject();
        List<LinkData> links = span.getLinks();
        if (!links.isEmpty()) {
            json.writeArrayFieldStart("links");
            for (LinkData link : links) {
                json.writeStartObject();
                json.writeStringField("traceId", link.getSpanContext().getTraceId());
                json.writeStringField("spanId", link.getSpanContext().getSpanId());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeObjectFieldStart("resource");
        for (Map.Entry<AttributeKey<?>, Object> attribute : span.getResource().getAttributes().asMap().entrySet()) {
            writeValue(json, attribute.getKey().getKey(), attribute.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void writeValue(JsonGenerator json, String name, Object value) throws IOException {
        switch (value) {
            case Long l -> json.writeNumberField(name, l);
            case Double d -> json.writeNumberField(name, d);
            case Boolean b -> json.writeBooleanField(name, b);
            case List<?> list -> {
                json.writeArrayFieldStart(name);
                for (Object item : list) json.writeString(String.valueOf(item));
                json.writeEndArray();
            }
            default -> json.writeStringField(name, String.valueOf(value));
        }
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public synchronized CompletableResultCode shutdown() {
        try {
            out.close();
            return CompletableResultCode.ofSuccess();
        } catch (IOException e) {
            return CompletableResultCode.ofFailure();
        }
    }
}
