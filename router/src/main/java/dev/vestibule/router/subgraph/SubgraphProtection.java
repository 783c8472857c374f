package dev.vestibule.router.subgraph;

import dev.vestibule.router.subgraph.traffic.TrafficObserver;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What protects each subgraph from this router instance: a protection limit, at most {@code limit} calls per
 * {@code per} (bursts to {@code burst}), and a bulkhead, at most {@code maxInFlight} calls in flight at once (a call
 * over it waits up to {@code maxWait} for a slot). A call over either is not sent; it fails like an unavailable
 * subgraph (SUBGRAPH_RATE_LIMITED, SUBGRAPH_BULKHEAD_FULL), so the other subgraphs' data still comes back with errors at
 * the right paths. Applied by {@link ProtectedTransport} to the calls that go out (a fetch that joins one in flight
 * takes no permit), a retry within the same slot.
 *
 * <p>Why a bulkhead when nothing queues calls (each waits on a virtual thread of its own): a slow subgraph would
 * otherwise hold as many calls, connections and request threads as clients ask of it, and the router's memory and
 * file descriptors are shared with every other subgraph; bounded, the excess fails at once and costs nothing.
 */
public final class SubgraphProtection {
    public record Limit(long limit, Duration per, long burst) {}

    /** A bound on calls in flight; {@code maxWait} zero: a call over it fails at once. */
    public record Bulkhead(int maxInFlight, Duration maxWait) {}

    public static final SubgraphProtection NONE = new SubgraphProtection(Map.of());

    private final Map<String, Bucket> buckets = new LinkedHashMap<>();
    private final Map<String, Slots> bulkheads = new LinkedHashMap<>();
    private final TrafficObserver observer;

    public SubgraphProtection(Map<String, Limit> limits) {
        this(limits, Map.of(), TrafficObserver.NONE);
    }

    public SubgraphProtection(Map<String, Limit> limits, Map<String, Bulkhead> bulkheads, TrafficObserver observer) {
        limits.forEach((subgraph, limit) -> buckets.put(subgraph, Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit.burst()).refillGreedy(limit.limit(), limit.per()).build()).build()));
        bulkheads.forEach((subgraph, bulkhead) -> this.bulkheads.put(subgraph, new Slots(bulkhead)));
        this.observer = observer;
    }

    /** One subgraph's bulkhead: its slots and how many calls it refused. */
    private record Slots(Bulkhead bulkhead, Semaphore free, LongAdder refused) {
        Slots(Bulkhead bulkhead) {
            this(bulkhead, new Semaphore(bulkhead.maxInFlight()), new LongAdder());
        }
    }

    /** Whether no subgraph has a limit. */
    public boolean limitsNothing() {
        return buckets.isEmpty() && bulkheads.isEmpty();
    }

    /**
     * Takes one call from the subgraph's allowance and a slot in its bulkhead, or fails without calling it; after a call
     * it let through, {@link #release} must be called.
     */
    public void acquire(String subgraph) throws SubgraphFailure {
        Slots slots = bulkheads.get(subgraph);
        if (slots != null && !slot(slots)) {
            slots.refused().increment();
            observer.bulkheadRejected(subgraph);
            throw new SubgraphFailure("SUBGRAPH_BULKHEAD_FULL", "subgraph " + subgraph
                    + " has its most calls in flight; the fetch was not sent", null);
        }
        Bucket bucket = buckets.get(subgraph);
        if (bucket != null && !bucket.tryConsume(1)) {
            if (slots != null) slots.free().release();
            throw new SubgraphFailure("SUBGRAPH_RATE_LIMITED", "subgraph " + subgraph
                    + " is over its protection limit; the fetch was not sent", null);
        }
    }

    private static boolean slot(Slots slots) {
        if (slots.free().tryAcquire()) return true;
        long wait = slots.bulkhead().maxWait().toNanos();
        if (wait <= 0) return false;
        try {
            return slots.free().tryAcquire(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The call {@link #acquire} let through is over: its bulkhead slot is free again. */
    public void release(String subgraph) {
        Slots slots = bulkheads.get(subgraph);
        if (slots != null) slots.free().release();
    }

    /** Calls in flight to {@code subgraph} under its bulkhead (0 without one). */
    public int inFlight(String subgraph) {
        Slots slots = bulkheads.get(subgraph);
        return slots == null ? 0 : slots.bulkhead().maxInFlight() - slots.free().availablePermits();
    }

    /** Calls the bulkhead of {@code subgraph} refused. */
    public long bulkheadRejected(String subgraph) {
        Slots slots = bulkheads.get(subgraph);
        return slots == null ? 0 : slots.refused().sum();
    }
}
