package dev.vestibule.router.telemetry;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whether a request's trace is sampled, decided by the router before the OpenTelemetry SDK is asked for anything: a
 * request whose trace is not sampled gets no span at all (the SDK would make a non-recording one: hex ids, a span
 * context, a sampler call), only the trace context its subgraph calls carry ({@link UnsampledTrace}). The rules are
 * the SDK's {@code parentBased(traceIdRatioBased(ratio))}, or {@code traceIdRatioBased(ratio)} with
 * {@code parent_based: false}, to the bit: a client's sampled parent is followed, an unsampled one too; without a
 * parent, the lower 64 bits of the trace id decide ({@code |low| < ratio * Long.MAX_VALUE}, the SDK's bound).
 *
 * <p>A new trace's lower half is drawn before its span exists; when it is sampled, the SDK draws the trace id (its
 * sampler is {@code alwaysOn}: the decision is made here) from {@link #sampledRootIds()}, whose lower half is under
 * the same bound, so a sampled trace id is one the SDK's ratio sampler also samples.
 */
final class TraceSampling {

    private final boolean parentBased;
    /** The SDK's TraceIdRatioBased bound: a trace is sampled when the absolute value of its id's lower half is below it. */
    private final long idUpperBound;

    TraceSampling(double ratio, boolean parentBased) {
        if (!(ratio >= 0 && ratio <= 1)) throw new IllegalArgumentException("sampling ratio must be from 0 to 1: " + ratio);
        this.parentBased = parentBased;
        this.idUpperBound = ratio == 0 ? Long.MIN_VALUE : ratio == 1 ? Long.MAX_VALUE : (long) (ratio * Long.MAX_VALUE);
    }

    /** Whether a new trace whose id's lower 64 bits are {@code traceIdLow} is sampled. */
    boolean samplesRoot(long traceIdLow) {
        return Math.abs(traceIdLow) < idUpperBound;
    }

    /** Whether a request under the client's valid {@code parent} is sampled. */
    boolean samples(SpanContext parent) {
        if (parentBased) return parent.isSampled();
        return samplesRoot(HexFormat.fromHexDigitsToLong(parent.getTraceId(), 16, 32));
    }

    /** A random 64-bit id that is not 0 (an all-zero span id is invalid in W3C trace context). */
    static long randomNonZero() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long id;
        do {
            id = random.nextLong();
        } while (id == 0);
        return id;
    }

    /**
     * The ids of the SDK's spans: random span ids, and trace ids (asked for only by a new trace's server span, which
     * is made only once sampled here) whose lower half is under the ratio's bound.
     */
    IdGenerator sampledRootIds() {
        return new IdGenerator() {
            @Override
            public String generateSpanId() {
                return SpanId.fromLong(randomNonZero());
            }

            @Override
            public String generateTraceId() {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                // |low| < bound; with ratio 1 the bound is Long.MAX_VALUE, which takes in every value but Long.MIN_VALUE
                long bound = idUpperBound > 0 ? idUpperBound : 1;
                long low = random.nextLong(bound);
                if (random.nextBoolean()) low = -low;
                long high = low == 0 ? randomNonZero() : random.nextLong();
                return TraceId.fromLongs(high, low);
            }
        };
    }
}
