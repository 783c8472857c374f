package dev.vestibule.router.subgraph.traffic;

import dev.vestibule.router.subgraph.SubgraphCall;
import dev.vestibule.router.subgraph.SubgraphFailure;
import dev.vestibule.router.subgraph.SubgraphTransport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Retries per subgraph ({@link TrafficPolicy.Retry}): a call that failed without an answer (no connection, a cut
 * connection; a timeout only with {@code on_timeout}) or answered a chosen status is sent again, after an exponential
 * backoff with full jitter or the subgraph's {@code Retry-After}, while the request's deadline leaves time for it and
 * the subgraph's {@link RetryBudget} allows it. Mutations (calls not {@linkplain SubgraphCall#idempotent()
 * idempotent}) never, unless the subgraph's policy says {@code mutations: true}.
 *
 * <p>Below the shared calls, so one retry serves every request that joined the call; above the circuit breaker, so
 * each attempt counts for it and a retry it refuses is not sent (SUBGRAPH_CIRCUIT_OPEN is not retried). The transport's
 * own resend of a call that failed on a stale pooled connection stays below, within one attempt.
 */
final class RetryingTransport implements SubgraphTransport {
    private final SubgraphTransport next;
    private final Map<String, Retries> retries;
    private final TrafficObserver observer;

    /** One subgraph's retry settings, statuses and budget. */
    record Retries(TrafficPolicy.Retry settings, StatusSet statuses, RetryBudget budget) {
        Retries(TrafficPolicy.Retry settings) {
            this(settings, new StatusSet(settings.statuses()), new RetryBudget(settings.budget()));
        }
    }

    RetryingTransport(SubgraphTransport next, Map<String, Retries> retries, TrafficObserver observer) {
        this.next = next;
        this.retries = Map.copyOf(retries);
        this.observer = observer;
    }

    @Override
    public Reply send(SubgraphCall call) throws IOException, SubgraphFailure {
        Retries subgraph = retries.get(call.subgraph());
        if (subgraph == null || (!call.idempotent() && !subgraph.settings().mutations())) return next.send(call);
        TrafficPolicy.Retry settings = subgraph.settings();
        subgraph.budget().called(System.nanoTime());
        for (int attempt = 1; ; attempt++) {
            Reply reply;
            String reason;
            long wait;
            try {
                reply = next.send(call);
                if (!subgraph.statuses().contains(reply.status()) || attempt >= settings.maxAttempts()) return reply;
                reason = "HTTP " + reply.status();
                wait = wait(settings, attempt, reply.retryAfter());
                if (!mayRetry(call, subgraph, wait)) return reply;
            } catch (InterruptedIOException e) {
                if (!settings.onTimeout() || attempt >= settings.maxAttempts()) throw e;
                wait = wait(settings, attempt, null);
                if (!mayRetry(call, subgraph, wait)) throw e;
                reason = "timeout";
            } catch (IOException e) {
                if (attempt >= settings.maxAttempts()) throw e;
                wait = wait(settings, attempt, null);
                if (!mayRetry(call, subgraph, wait)) throw e;
                reason = "connection failed";
            }
            observer.retried(call.subgraph(), attempt + 1, reason);
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting to retry");
            }
        }
    }

    /**
     * Whether a retry after {@code wait} may be made: the request's deadline leaves time for the wait and a call after
     * it (a tenth of a second at least), and the budget has a retry left (taken from it then).
     */
    private boolean mayRetry(SubgraphCall call, Retries subgraph, long wait) {
        if (wait < 0 || call.remainingNanos() - wait < MIN_CALL_NANOS) return false;
        if (subgraph.budget().tryRetry(System.nanoTime())) return true;
        observer.retryBudgetExhausted(call.subgraph());
        return false;
    }

    private static final long MIN_CALL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * The wait before attempt {@code attempt + 1}: a random time up to the backoff (initial, doubled per attempt, capped)
     * ("full jitter": retries of many clients spread out instead of arriving together), or the subgraph's Retry-After
     * when it asked for longer; -1 when its Retry-After is longer than the longest backoff (it asked not to be called
     * again so soon: the client gets the answer instead).
     */
    static long wait(TrafficPolicy.Retry settings, int attempt, Duration retryAfter) {
        long cap = settings.maxBackoff().toNanos();
        long backoff = Math.min(cap, settings.initialBackoff().toNanos() << Math.min(attempt - 1, 30));
        long jittered = backoff <= 0 ? 0 : ThreadLocalRandom.current().nextLong(backoff + 1);
        if (retryAfter == null) return jittered;
        long asked = retryAfter.toNanos();
        if (asked > cap) return -1;
        return Math.max(jittered, asked);
    }

    @Override
    public void close() {
        next.close();
    }
}
