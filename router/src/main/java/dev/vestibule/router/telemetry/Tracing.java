package dev.vestibule.router.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK as the router uses it: its own tracer provider (never the global one, so that embedders and
 * tests may run several routers in one JVM), sampling (by ratio, parent-based unless configured otherwise: decided in
 * {@link TraceSampling} before the SDK is asked for a span, so the SDK's sampler takes every span it is asked for), and a
 * batch processor per exporter (OTLP over gRPC or HTTP/protobuf, JSON lines to a file). Closing it flushes the spans
 * still queued.
 */
final class Tracing implements AutoCloseable {
    static final String SCOPE = "dev.vestibule.router";

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final TelemetrySettings.Tracing settings;
    private final TraceSampling sampling;

    Tracing(TelemetrySettings settings, List<SpanExporter> extraExporters) {
        this.settings = settings.tracing();
        AttributesBuilder resource = Attributes.builder().put("service.name", settings.serviceName());
        for (Map.Entry<String, String> attribute : settings.resource().entrySet()) resource.put(attribute.getKey(), attribute.getValue());
        this.sampling = new TraceSampling(this.settings.samplingRatio(), this.settings.parentBased());
        // the sampling decision is made before a span is asked for (TraceSampling): the SDK only makes sampled spans
        SdkTracerProviderBuilder builder = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(resource.build())))
                .setSampler(Sampler.alwaysOn())
                .setIdGenerator(sampling.sampledRootIds());
        List<SpanExporter> exporters = new ArrayList<>(extraExporters);
        try {
            if (this.settings.otlp() != null) exporters.add(otlp(this.settings.otlp()));
            if (this.settings.file() != null) exporters.add(new JsonLinesSpanExporter(this.settings.file()));
        } catch (IOException e) {
            exporters.forEach(SpanExporter::close);
            throw new UncheckedIOException("telemetry.tracing.file: cannot open " + this.settings.file() + ": " + e.getMessage(), e);
        }
        TelemetrySettings.Batch batch = this.settings.batch();
        for (SpanExporter exporter : exporters) {
            builder.addSpanProcessor(BatchSpanProcessor.builder(exporter).setMaxQueueSize(batch.maxQueueSize())
                    .setMaxExportBatchSize(batch.maxExportBatchSize()).setScheduleDelay(batch.scheduleDelay()).build());
        }
        this.provider = builder.build();
        this.tracer = provider.get(SCOPE);
    }

    private static SpanExporter otlp(TelemetrySettings.Otlp otlp) {
        return switch (otlp.protocol()) {
            case GRPC -> {
                OtlpGrpcSpanExporterBuilder builder = OtlpGrpcSpanExporter.builder().setEndpoint(otlp.endpoint()).setTimeout(otlp.timeout());
                otlp.headers().forEach(builder::addHeader);
                yield builder.build();
            }
            case HTTP_PROTOBUF -> {
                OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder().setEndpoint(otlp.endpoint()).setTimeout(otlp.timeout());
                otlp.headers().forEach(builder::addHeader);
                yield builder.build();
            }
        };
    }

    Tracer tracer() {
        return tracer;
    }

    /** Which requests are traced (sampled): decided by the router, before any span exists. */
    TraceSampling sampling() {
        return sampling;
    }

    TelemetrySettings.Tracing settings() {
        return settings;
    }

    /** Exports what is queued now (tests; the batch processors also export on their schedule). */
    void flush() {
        provider.forceFlush().join(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }
}
