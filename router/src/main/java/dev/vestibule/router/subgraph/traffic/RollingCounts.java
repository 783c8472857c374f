package dev.vestibule.router.subgraph.traffic;

import java.time.Duration;
import java.util.Arrays;

/**
 * Two counts over a rolling window (calls and failures, calls and retries), kept in ten buckets of a tenth of the
 * window each: a bucket older than the window is emptied when its slot comes round again. Guarded by its own lock,
 * held for a few array operations (one call's count); no allocation.
 */
final class RollingCounts {
    private static final int BUCKETS = 10;
    private final long bucketNanos;
    private final long[] epochs = new long[BUCKETS];
    private final long[] first = new long[BUCKETS];
    private final long[] second = new long[BUCKETS];

    RollingCounts(Duration window) {
        this.bucketNanos = Math.max(1, window.toNanos() / BUCKETS);
        Arrays.fill(epochs, Long.MIN_VALUE);
    }

    /** Adds to the counts of the bucket of {@code now}. */
    synchronized void add(long now, long toFirst, long toSecond) {
        int slot = slot(now);
        first[slot] += toFirst;
        second[slot] += toSecond;
    }

    /** The first count over the window that ends at {@code now}. */
    synchronized long first(long now) {
        return sum(first, now);
    }

    /** The second count over the window that ends at {@code now}. */
    synchronized long second(long now) {
        return sum(second, now);
    }

    synchronized void clear() {
        Arrays.fill(epochs, Long.MIN_VALUE);
        Arrays.fill(first, 0);
        Arrays.fill(second, 0);
    }

    private int slot(long now) {
        long epoch = Math.floorDiv(now, bucketNanos);
        int slot = (int) Math.floorMod(epoch, BUCKETS);
        if (epochs[slot] != epoch) {
            epochs[slot] = epoch;
            first[slot] = 0;
            second[slot] = 0;
        }
        return slot;
    }

    private long sum(long[] counts, long now) {
        long epoch = Math.floorDiv(now, bucketNanos);
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (epochs[i] != Long.MIN_VALUE && epoch - epochs[i] < BUCKETS) total += counts[i];
        }
        return total;
    }
}
