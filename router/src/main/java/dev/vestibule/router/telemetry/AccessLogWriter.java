package dev.vestibule.router.telemetry;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one JSON line per request on /graphql, to stdout or a file. A request only puts its record in a
 * bounded queue (it never waits for the sink); one thread of the log's own formats the lines (the operation's hash
 * included) and writes them. When the sink is slower than the requests and the queue is full, records are dropped
 * and counted ({@link #dropped()}, vestibule_access_log_dropped_total), with one warning every 10 s at most.
 *
 * <p>What a line holds is configured (telemetry.access_log.fields); the client's address, its user agent, the
 * variables and any request header (Authorization and Cookie included) are written only when configured.
 */
final class AccessLogWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLogWriter.class);
    private static final JsonFactory JSON = new ObjectMapper().getFactory();
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final TelemetrySettings.AccessLog settings;
    private final ArrayBlockingQueue<RequestTelemetry> queue;
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());
    private final CounterDataPoint droppedMetric;
    private final Path file;
    private OutputStream out;
    private final Thread thread;
    private volatile boolean closing;
    private final MessageDigest sha256;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);

    AccessLogWriter(TelemetrySettings.AccessLog settings, CounterDataPoint droppedMetric) {
        this.settings = settings;
        this.droppedMetric = droppedMetric;
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (settings.output().equals("stdout")) {
            this.file = null;
            this.out = System.out;
        } else {
            this.file = Path.of(settings.output());
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new UncheckedIOException(new IOException("telemetry.access_log.output: no directory " + parent));
            }
            // a regular file is opened now, so that a path the router cannot write stops the start; anything else (a
            // pipe) is opened by the writer thread, as opening it may wait for a reader
            if (!Files.exists(file) || Files.isRegularFile(file)) this.out = open(file);
        }
        this.thread = Thread.ofPlatform().daemon().name("vestibule-access-log").start(this::run);
    }

    private static OutputStream open(Path file) {
        try {
            return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("telemetry.access_log.output: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Queues a finished request's line; drops it (counted) when the queue is full. Never blocks. */
    void log(RequestTelemetry request) {
        if (queue.offer(request)) return;
        dropped.increment();
        if (droppedMetric != null) droppedMetric.inc();
        long now = System.nanoTime();
        long at = nextWarning.get();
        if (now - at >= 0 && nextWarning.compareAndSet(at, now + WARN_INTERVAL_NANOS)) {
            LOG.warn("the access log's sink is slower than the requests: {} lines dropped so far", dropped.sum());
        }
    }

    /** Lines dropped since start. */
    long dropped() {
        return dropped.sum();
    }

    private void run() {
        try {
            if (out == null) out = open(file);
            while (true) {
                RequestTelemetry request = queue.poll(100, TimeUnit.MILLISECONDS);
                if (request == null) {
                    if (closing) return;
                    continue;
                }
                buffer.reset();
                // what has queued meanwhile goes out in the same write
                for (int n = 1; request != null; n++) {
                    line(request);
                    request = n < 256 ? queue.poll() : null;
                }
                buffer.writeTo(out);
                if (queue.isEmpty()) out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | UncheckedIOException e) {
            LOG.error("the access log stopped: cannot write {}: {}", file == null ? "stdout" : file, e.toString());
        } finally {
            try {
                if (out != null) {
                    out.flush();
                    if (file != null) out.close();
                }
            } catch (IOException ignored) {
                // the log is closing
            }
        }
    }

    private void line(RequestTelemetry request) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            for (String field : settings.fields()) field(json, field, request);
            if (request.headers != null && !request.headers.isEmpty()) {
                json.writeObjectFieldStart("headers");
                for (Map.Entry<String, String> header : request.headers.entrySet()) json.writeStringField(header.getKey(), header.getValue());
                json.writeEndObject();
            }
            json.writeEndObject();
        }
        buffer.write('\n');
    }

    private void field(JsonGenerator json, String field, RequestTelemetry r) throws IOException {
        switch (field) {
            case "time" -> json.writeStringField("time", Instant.ofEpochMilli(r.startEpochMillis).toString());
            case "trace_id" -> nullable(json, "trace_id", r.traceId().isEmpty() ? null : r.traceId());
            case "span_id" -> nullable(json, "span_id", r.spanId().isEmpty() ? null : r.spanId());
            case "request_id" -> nullable(json, "request_id", r.requestId);
            case "client_name" -> nullable(json, "client_name", r.clientName);
            case "client_version" -> nullable(json, "client_version", r.clientVersion);
            case "consumer" -> nullable(json, "consumer", r.consumer);
            case "operation_name" -> nullable(json, "operation_name", r.operationName);
            case "operation_type" -> nullable(json, "operation_type", r.operationType);
            case "operation_hash" -> nullable(json, "operation_hash", r.query == null ? null : hash(r.query));
            case "status" -> json.writeNumberField("status", r.status);
            case "duration_ms" -> json.writeNumberField("duration_ms", Math.round(r.durationNanos / 1000.0) / 1000.0);
            case "method" -> json.writeStringField("method", r.method);
            case "request_bytes" -> json.writeNumberField("request_bytes", r.requestBytes);
            case "response_bytes" -> json.writeNumberField("response_bytes", r.responseBytes);
            case "client_ip" -> nullable(json, "client_ip", r.clientIp);
            case "user_agent" -> nullable(json, "user_agent", r.userAgent);
            case "variables" -> {
                json.writeFieldName("variables");
                if (r.variables == null) json.writeNull();
                else json.writeObject(r.variables);
            }
            case "subgraphs" -> {
                json.writeArrayFieldStart("subgraphs");
                for (RequestTelemetry.FetchRecord fetch : r.fetches()) {
                    json.writeStartObject();
                    json.writeStringField("name", fetch.subgraph());
                    json.writeNumberField("duration_ms", Math.round(fetch.durationMs() * 1000) / 1000.0);
                    if (fetch.status() != 0) json.writeNumberField("status", fetch.status());
                    if (fetch.joined() != null) json.writeStringField("joined", fetch.joined());
                    if (fetch.errorCode() != null) json.writeStringField("error", fetch.errorCode());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            case "error_codes" -> {
                json.writeArrayFieldStart("error_codes");
                for (String code : r.errorCodes()) json.writeString(code);
                json.writeEndArray();
            }
            default -> throw new IllegalStateException("unknown access log field " + field); // the config checked them
        }
    }

    private static void nullable(JsonGenerator json, String name, String value) throws IOException {
        if (value == null) json.writeNullField(name);
        else json.writeStringField(name, value);
    }

    /** The operation's SHA-256 in hex: the hash an APQ client sends for the same text. */
    private String hash(String query) {
        return HexFormat.of().formatHex(sha256.digest(query.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
