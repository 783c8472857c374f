package dev.vestibule.router.bff;

import java.util.concurrent.atomic.LongAdder;

/** What one module's routes did since the host started (counters; read with {@link #snapshot}). */
public final class BffStats {
    final LongAdder requests = new LongAdder();
    /** The module's own code threw (variables, shaping): answered with a problem body. */
    final LongAdder codeFailures = new LongAdder();
    /** Refused at once because the module's concurrency bound was reached. */
    final LongAdder overCapacity = new LongAdder();
    /** Answered 200 with gaps. */
    final LongAdder partial = new LongAdder();
    /** Answered from the last good answer or the static default. */
    final LongAdder fallbacks = new LongAdder();
    /** Answered with a problem because a part of the operation failed (policy fail, or nothing to fall back on). */
    final LongAdder failed = new LongAdder();

    public record Snapshot(long requests, long codeFailures, long overCapacity, long partial, long fallbacks, long failed) {}

    public Snapshot snapshot() {
        return new Snapshot(requests.sum(), codeFailures.sum(), overCapacity.sum(), partial.sum(), fallbacks.sum(), failed.sum());
    }
}
