package dev.vestibule.router.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The trace context of a request whose trace is not sampled ({@link TraceSampling}), without a span: the trace id
 * (the client's, or a new random one), a random span id standing for the router's part, and the client's tracestate.
 * Its subgraph calls carry it as a W3C {@code traceparent} with the sampled flag off, so that the subgraphs can still
 * correlate their logs with the client's trace (W3C Trace Context: a participant that does not record forwards the
 * trace id and the flags). Nothing of it is exported.
 *
 * @param traceState the client's tracestate (empty without one), forwarded as it came
 */
record UnsampledTrace(long traceIdHigh, long traceIdLow, long spanId, TraceState traceState) {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final String TRACEPARENT = "traceparent";

    /** A new trace, whose lower half was drawn (and found not sampled) by the caller. */
    static UnsampledTrace root(long traceIdLow) {
        long high = TraceSampling.randomNonZero(); // never an all-zero trace id, whatever the lower half is
        return new UnsampledTrace(high, traceIdLow, TraceSampling.randomNonZero(), TraceState.getDefault());
    }

    /** Under the client's (valid, not sampled here) {@code parent}. */
    static UnsampledTrace under(SpanContext parent) {
        String traceId = parent.getTraceId();
        return new UnsampledTrace(HexFormat.fromHexDigitsToLong(traceId, 0, 16), HexFormat.fromHexDigitsToLong(traceId, 16, 32),
                TraceSampling.randomNonZero(), parent.getTraceState());
    }

    String traceId() {
        return HEX.toHexDigits(traceIdHigh) + HEX.toHexDigits(traceIdLow);
    }

    String spanIdHex() {
        return HEX.toHexDigits(spanId);
    }

    /** {@code 00-<trace id>-<span id>-00}, written in one array (it goes on every subgraph call of the request). */
    String traceparent() {
        byte[] out = new byte[55];
        out[0] = '0';
        out[1] = '0';
        out[2] = '-';
        hex(traceIdHigh, out, 3);
        hex(traceIdLow, out, 19);
        out[35] = '-';
        hex(spanId, out, 36);
        out[52] = '-';
        out[53] = '0';
        out[54] = '0';
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static void hex(long value, byte[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = DIGITS[(int) (value & 0xf)];
            value >>>= 4;
        }
    }

    /** The propagation headers of its subgraph calls: traceparent, and tracestate when the client sent one. */
    Map<String, String> headers() {
        if (traceState.isEmpty()) return Map.of(TRACEPARENT, traceparent());
        // the client's tracestate, serialized as the W3C propagator does (rare: only clients that send one)
        Map<String, String> headers = new HashMap<>(4);
        SpanContext context = SpanContext.create(traceId(), spanIdHex(), TraceFlags.getDefault(), traceState);
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(Span.wrap(context)), headers, Map::put);
        return headers;
    }
}
