package dev.vestibule.router.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The router decides sampling before the OpenTelemetry SDK makes a span (so that an unsampled request makes none):
 * its decisions are the SDK's samplers' own, checked against them on random trace ids, and the trace context an
 * unsampled request's subgraph calls carry is a W3C traceparent the SDK's propagator reads back.
 */
class TraceSamplingTest {
    private static final double[] RATIOS = {0, 0.01, 0.25, 0.5, 1};
    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier.get(key);
        }
    };

    private static boolean sdkSamples(Sampler sampler, Context parent, String traceId) {
        return sampler.shouldSample(parent, traceId, "query", SpanKind.SERVER, Attributes.empty(), List.of()).getDecision()
                == SamplingDecision.RECORD_AND_SAMPLE;
    }

    @Test
    void aNewTraceIsSampledExactlyWhenTheSdksRatioSamplerWouldSampleItsId() {
        Random random = new Random(26);
        for (double ratio : RATIOS) {
            TraceSampling sampling = new TraceSampling(ratio, true);
            Sampler sdk = Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
            int sampled = 0;
            for (int i = 0; i < 20_000; i++) {
                long high = random.nextLong();
                long low = i == 0 ? Long.MIN_VALUE : i == 1 ? 0 : random.nextLong();
                boolean mine = sampling.samplesRoot(low);
                assertThat(mine).as("ratio %s, low %s", ratio, low).isEqualTo(sdkSamples(sdk, Context.root(), TraceId.fromLongs(high, low)));
                if (mine) sampled++;
            }
            assertThat(sampled / 20_000.0).as("ratio %s", ratio).isCloseTo(ratio, within(0.015));
        }
    }

    @Test
    void aClientsParentDecidesWhenParentBasedElseItsTraceIdAsTheSdkDoes() {
        Random random = new Random(27);
        for (double ratio : RATIOS) {
            for (boolean parentBased : new boolean[] {true, false}) {
                TraceSampling sampling = new TraceSampling(ratio, parentBased);
                Sampler ratioSampler = Sampler.traceIdRatioBased(ratio);
                Sampler sdk = parentBased ? Sampler.parentBased(ratioSampler) : ratioSampler;
                for (int i = 0; i < 2_000; i++) {
                    String traceId = TraceId.fromLongs(random.nextLong(), random.nextLong());
                    SpanContext parent = SpanContext.createFromRemoteParent(traceId, "00f067aa0ba902b7",
                            random.nextBoolean() ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
                    Context context = Context.root().with(Span.wrap(parent));
                    assertThat(sampling.samples(parent)).as("ratio %s, parent-based %s, %s", ratio, parentBased, parent)
                            .isEqualTo(sdkSamples(sdk, context, traceId));
                }
            }
        }
    }

    @Test
    void theTraceIdsOfSampledNewTracesAreOnesTheSdksRatioSamplerSamples() {
        for (double ratio : new double[] {0.01, 0.5, 1}) {
            IdGenerator ids = new TraceSampling(ratio, true).sampledRootIds();
            Sampler sdk = Sampler.traceIdRatioBased(ratio);
            for (int i = 0; i < 5_000; i++) {
                String traceId = ids.generateTraceId();
                assertThat(TraceId.isValid(traceId)).as(traceId).isTrue();
                assertThat(sdkSamples(sdk, Context.root(), traceId)).as("ratio %s, %s", ratio, traceId).isTrue();
                assertThat(ids.generateSpanId()).matches("[0-9a-f]{16}").isNotEqualTo("0000000000000000");
            }
        }
    }

    @Test
    void anUnsampledRequestsTraceparentIsReadBackByTheW3cPropagatorAsNotSampled() {
        UnsampledTrace root = UnsampledTrace.root(0x0123456789abcdefL);
        Map<String, String> headers = root.headers();
        assertThat(headers).containsOnlyKeys("traceparent");
        assertThat(headers.get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00")
                .isEqualTo("00-" + root.traceId() + "-" + root.spanIdHex() + "-00");
        assertThat(root.traceId()).endsWith("0123456789abcdef");
        SpanContext read = Span.fromContext(W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, MAP)).getSpanContext();
        assertThat(read.isValid()).isTrue();
        assertThat(read.isSampled()).isFalse();
        assertThat(read.getTraceId()).isEqualTo(root.traceId());
        assertThat(read.getSpanId()).isEqualTo(root.spanIdHex());

        // under a client's unsampled parent: its trace id, a span id of the router's own, and its tracestate forwarded
        SpanContext parent = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getDefault(), TraceState.builder().put("vendor", "abc").build());
        UnsampledTrace child = UnsampledTrace.under(parent);
        Map<String, String> childHeaders = child.headers();
        assertThat(childHeaders.get("traceparent")).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-00")
                .doesNotContain("00f067aa0ba902b7");
        assertThat(childHeaders.get("tracestate")).isEqualTo("vendor=abc");
        assertThat(child.traceparent()).isEqualTo(childHeaders.get("traceparent"));
    }
}
