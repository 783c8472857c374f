package dev.vestibule.router.config;

import dev.vestibule.router.telemetry.TelemetrySettings;
import dev.vestibule.router.telemetry.TelemetrySettings.AccessLog;
import dev.vestibule.router.telemetry.TelemetrySettings.Batch;
import dev.vestibule.router.telemetry.TelemetrySettings.Metrics;
import dev.vestibule.router.telemetry.TelemetrySettings.Otlp;
import dev.vestibule.router.telemetry.TelemetrySettings.Protocol;
import dev.vestibule.router.telemetry.TelemetrySettings.SpanName;
import dev.vestibule.router.telemetry.TelemetrySettings.Tracing;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code telemetry} section: metrics (Prometheus), tracing (OpenTelemetry), the access log. */
final class TelemetrySection {
    static final String KEY = "telemetry";

    private TelemetrySection() {}

    /** @param base the config file's directory: file paths are relative to it */
    static TelemetrySettings parse(ConfigNode node, Path base) {
        if (node.isMissing()) return TelemetrySettings.OFF;
        node.allowOnly(Set.of("service_name", "resource", "metrics", "tracing", "access_log"));
        TelemetrySettings d = TelemetrySettings.OFF;
        Map<String, String> resource = new LinkedHashMap<>();
        node.get("resource").map().forEach((key, value) -> resource.put(key, value.string("")));
        String serviceName = node.get("service_name").string(d.serviceName());
        if (serviceName.isBlank()) throw node.get("service_name").error("must not be empty");
        return new TelemetrySettings(serviceName, resource, metrics(node.get("metrics")), tracing(node.get("tracing"), base),
                accessLog(node.get("access_log"), base));
    }

    private static Metrics metrics(ConfigNode node) {
        Metrics d = Metrics.OFF;
        if (node.isMissing()) return d;
        node.allowOnly(Set.of("enabled", "path", "on_router_port", "listen", "jvm", "labels", "exemplars"));
        ConfigNode labels = node.get("labels").allowOnly(Set.of("operation_name", "client_name", "max_values"));
        String path = node.get("path").string(d.path());
        if (!path.startsWith("/") || path.equals("/graphql") || path.equals("/health") || path.equals("/ready")) {
            throw node.get("path").error("must be a path starting with / other than /graphql, /health and /ready");
        }
        String host = d.listenHost();
        int port = 0;
        ConfigNode listen = node.get("listen");
        String address = listen.string(null);
        if (address != null) {
            int colon = address.lastIndexOf(':');
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (colon <= 0 || port < 1 || port > 65535) throw listen.error("expected host:port, e.g. 127.0.0.1:9464");
            host = address.substring(0, colon);
        }
        boolean onRouterPort = node.get("on_router_port").bool(d.onRouterPort());
        if (!onRouterPort && port == 0) throw node.get("on_router_port").error("false needs metrics.listen (a port of their own)");
        return new Metrics(node.get("enabled").bool(true), path, onRouterPort, host, port, node.get("jvm").bool(d.jvm()),
                labels.get("operation_name").bool(d.operationLabels()), labels.get("client_name").bool(d.clientLabels()),
                (int) labels.get("max_values").number(d.maxLabelValues(), 1, 100_000), node.get("exemplars").bool(d.exemplars()));
    }

    private static Tracing tracing(ConfigNode node, Path base) {
        Tracing d = Tracing.OFF;
        if (node.isMissing()) return d;
        node.allowOnly(Set.of("sampling_ratio", "parent_based", "span_name", "record_document", "otlp", "file", "batch"));
        ConfigNode ratioNode = node.get("sampling_ratio");
        double ratio = d.samplingRatio();
        String ratioText = ratioNode.string(null);
        if (ratioText != null) {
            try {
                ratio = Double.parseDouble(ratioText);
            } catch (NumberFormatException e) {
                ratio = -1;
            }
            if (!(ratio >= 0 && ratio <= 1)) throw ratioNode.error("must be a number from 0 to 1 (0.01: one trace in a hundred)");
        }
        Otlp otlp = null;
        ConfigNode otlpNode = node.get("otlp");
        if (!otlpNode.isMissing()) {
            otlpNode.allowOnly(Set.of("endpoint", "protocol", "headers", "timeout"));
            Protocol protocol = switch (otlpNode.get("protocol").string("grpc")) {
                case "grpc" -> Protocol.GRPC;
                case "http/protobuf" -> Protocol.HTTP_PROTOBUF;
                default -> throw otlpNode.get("protocol").error("must be grpc or http/protobuf");
            };
            String endpoint = otlpNode.get("endpoint").string(protocol == Protocol.GRPC ? "http://127.0.0.1:4317" : "http://127.0.0.1:4318/v1/traces");
            URI uri;
            try {
                uri = URI.create(endpoint);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw otlpNode.get("endpoint").error("expected an http:// or https:// URL");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            otlpNode.get("headers").map().forEach((key, value) -> headers.put(key, value.string("")));
            otlp = new Otlp(endpoint, protocol, headers, otlpNode.get("timeout").positiveDuration(Duration.ofSeconds(10)));
        }
        String file = node.get("file").string(null);
        ConfigNode batchNode = node.get("batch").allowOnly(Set.of("max_queue_size", "max_export_batch_size", "schedule_delay"));
        Batch b = Batch.DEFAULTS;
        int queue = (int) batchNode.get("max_queue_size").number(b.maxQueueSize(), 1, 10_000_000);
        int batchSize = (int) batchNode.get("max_export_batch_size").number(b.maxExportBatchSize(), 1, 10_000_000);
        if (batchSize > queue) throw batchNode.get("max_export_batch_size").error("must not be above max_queue_size (" + queue + ")");
        Batch batch = new Batch(queue, batchSize, batchNode.get("schedule_delay").positiveDuration(b.scheduleDelay()));
        String spanName = node.get("span_name").string("operation_type");
        SpanName name = switch (spanName) {
            case "operation_type" -> SpanName.OPERATION_TYPE;
            case "operation_type_and_name" -> SpanName.OPERATION_TYPE_AND_NAME;
            default -> throw node.get("span_name").error("must be operation_type or operation_type_and_name");
        };
        Tracing tracing = new Tracing(ratio, node.get("parent_based").bool(d.parentBased()), name,
                node.get("record_document").bool(d.recordDocument()), otlp, file == null ? null : base.resolve(file), batch);
        if (!tracing.enabled()) throw node.error("names no exporter: add otlp (a collector) or file (JSON lines), or remove the section");
        return tracing;
    }

    private static AccessLog accessLog(ConfigNode node, Path base) {
        AccessLog d = AccessLog.OFF;
        if (node.isMissing()) return d;
        node.allowOnly(Set.of("enabled", "output", "fields", "headers", "queue_size"));
        String output = node.get("output").string(d.output());
        if (output.isBlank()) throw node.get("output").error("must be stdout or a file path");
        if (!output.equals("stdout")) output = base.resolve(output).toString();
        List<String> fields = node.get("fields").isMissing() ? d.fields() : node.get("fields").strings();
        for (String field : fields) {
            if (!AccessLog.KNOWN_FIELDS.contains(field)) {
                throw node.get("fields").error("unknown field '" + field + "' (known: " + String.join(", ", AccessLog.KNOWN_FIELDS) + ")");
            }
        }
        return new AccessLog(node.get("enabled").bool(true), output, fields, node.get("headers").strings(),
                (int) node.get("queue_size").number(d.queueSize(), 1, 10_000_000));
    }
}
