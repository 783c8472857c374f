package dev.vestibule.router.subgraph.traffic;

import java.util.concurrent.atomic.LongAdder;

/**
 * A subgraph's retry budget (tower's and Envoy's idea): over the last {@code ttl}, retries may be at most
 * {@code retryPercent} % of the calls made plus {@code minPerSecond} a second. Under a full outage every call fails
 * and wants a retry; the budget lets through only that share, so the subgraph sees about 1.2 times the client's calls,
 * not {@code maxAttempts} times.
 */
final class RetryBudget {
    private final TrafficPolicy.Budget budget;
    /** First: calls (first attempts); second: retries. */
    private final RollingCounts counts;
    private final long reserve;
    private final LongAdder refused = new LongAdder();
    private final LongAdder granted = new LongAdder();

    RetryBudget(TrafficPolicy.Budget budget) {
        this.budget = budget;
        this.counts = new RollingCounts(budget.ttl());
        this.reserve = (long) budget.minPerSecond() * Math.max(1, budget.ttl().toSeconds());
    }

    /** A call (not a retry) was made. */
    void called(long now) {
        counts.add(now, 1, 0);
    }

    /** Takes one retry from the budget; false when it has none left (the retry must not be made). */
    boolean tryRetry(long now) {
        synchronized (this) {
            long calls = counts.first(now);
            long retries = counts.second(now);
            if (retries + 1 > reserve + calls * budget.retryPercent() / 100) {
                refused.increment();
                return false;
            }
            counts.add(now, 0, 1);
        }
        granted.increment();
        return true;
    }

    long granted() {
        return granted.sum();
    }

    long refused() {
        return refused.sum();
    }
}
