package dev.vestibule.router.telemetry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code telemetry} section of the config (docs/configuration.md, docs/telemetry.md): metrics, traces and the
 * access log, each off unless configured. With everything off the router builds no telemetry object at all.
 */
public record TelemetrySettings(String serviceName, Map<String, String> resource, Metrics metrics, Tracing tracing,
                                AccessLog accessLog) {
    public static final TelemetrySettings OFF = new TelemetrySettings("vestibule", Map.of(), Metrics.OFF, Tracing.OFF, AccessLog.OFF);

    public TelemetrySettings {
        Objects.requireNonNull(serviceName, "serviceName");
        resource = Map.copyOf(resource);
    }

    /** Whether any part is on. */
    public boolean enabled() {
        return metrics.enabled() || tracing.enabled() || accessLog.enabled();
    }

    /**
     * Prometheus metrics at {@code path} on the router's port (unless {@code onRouterPort} is false) and, when
     * {@code listenPort} is not 0, on a port of their own at {@code listenHost}.
     */
    public record Metrics(boolean enabled, String path, boolean onRouterPort, String listenHost, int listenPort, boolean jvm,
                          boolean operationLabels, boolean clientLabels, int maxLabelValues, boolean exemplars) {
        public static final Metrics OFF = new Metrics(false, "/metrics", true, "127.0.0.1", 0, true, false, false, 100, true);
    }

    /** How span names are made: the operation's type alone (the semantic conventions) or type and name (opt-in). */
    public enum SpanName { OPERATION_TYPE, OPERATION_TYPE_AND_NAME }

    /** OTLP export protocols. */
    public enum Protocol { GRPC, HTTP_PROTOBUF }

    /** An OTLP exporter: where to, how, with which headers and timeout. */
    public record Otlp(String endpoint, Protocol protocol, Map<String, String> headers, Duration timeout) {
        public Otlp {
            headers = Map.copyOf(headers);
        }
    }

    /** The batch span processor's settings. */
    public record Batch(int maxQueueSize, int maxExportBatchSize, Duration scheduleDelay) {
        public static final Batch DEFAULTS = new Batch(2048, 512, Duration.ofSeconds(5));
    }

    /**
     * Traces: sampled at {@code samplingRatio} (a sampled or unsampled parent from the client's traceparent decides
     * instead when {@code parentBased}), exported over OTLP ({@code otlp}, may be null) and/or as JSON lines to
     * {@code file} (may be null). On when an exporter is configured.
     */
    public record Tracing(double samplingRatio, boolean parentBased, SpanName spanName, boolean recordDocument, Otlp otlp, Path file,
                          Batch batch) {
        public static final Tracing OFF = new Tracing(1.0, true, SpanName.OPERATION_TYPE, false, null, null, Batch.DEFAULTS);

        public boolean enabled() {
            return otlp != null || file != null;
        }
    }

    /**
     * One JSON line per request to {@code output} ("stdout" or a file path), with {@code fields} (docs/telemetry.md)
     * and the request headers named in {@code headers}; at most {@code queueSize} lines wait for a slow sink, more are
     * dropped and counted.
     */
    public record AccessLog(boolean enabled, String output, List<String> fields, List<String> headers, int queueSize) {
        public static final List<String> DEFAULT_FIELDS = List.of("time", "trace_id", "request_id", "client_name", "client_version",
                "consumer", "operation_name", "operation_type", "operation_hash", "status", "duration_ms", "subgraphs", "error_codes");
        /** Every field a line may have; those not in DEFAULT_FIELDS are opt-in (client_ip, variables, user_agent...). */
        public static final List<String> KNOWN_FIELDS = List.of("time", "trace_id", "span_id", "request_id", "client_name",
                "client_version", "consumer", "operation_name", "operation_type", "operation_hash", "status", "duration_ms", "subgraphs",
                "error_codes", "method", "request_bytes", "response_bytes", "client_ip", "user_agent", "variables");
        public static final AccessLog OFF = new AccessLog(false, "stdout", DEFAULT_FIELDS, List.of(), 8192);

        public AccessLog {
            fields = List.copyOf(fields);
            headers = headers.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        }
    }
}
