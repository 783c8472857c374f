package dev.vestibule.router.concurrent;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Identical calls in flight at the same moment share one execution ("single flight"): the first caller of a key runs
 * the call, callers arriving while it runs wait for its result, each within its own deadline. Nothing is cached: once
 * the call returns, the next caller of the key runs it again. Results are shared, so they must be read-only.
 *
 * <p>Invariants its users keep (docs/architecture.md): a key holds everything that can change the result (for a
 * subgraph call: URL, body, forwarded headers) and nothing that differs per caller but cannot (trace propagation
 * headers, deadlines, observers), or sharing silently stops; only calls that may run once for several callers are
 * shared (never a mutation).
 *
 * @param <K> what makes two calls the same (equals/hashCode by content)
 * @param <V> the shared result
 */
public final class SharedCalls<K, V> {
    private final Map<K, Flight<V>> inflight = new ConcurrentHashMap<>();

    /**
     * A call in flight: its result, its leader's deadline, whether a waiter has set the one timer that ends the
     * wait at that deadline should the leader overrun it, and the leader's call (told to those who join it).
     */
    private record Flight<V>(CompletableFuture<V> result, long deadlineNanos, AtomicBoolean guarded, Call<V, ?> leader) {}

    @FunctionalInterface
    public interface Call<V, E extends Exception> {
        V call() throws E;

        /**
         * Told, on the caller's thread, that this caller joins the identical call in flight instead of running this
         * one, before it waits for that call's result (an observer learns it while the call is still in flight).
         */
        default void joining() {}

        /**
         * As {@link #joining()}, with the call in flight this caller joins (the leader's, as given to {@link #run}):
         * an observer links the two. Told instead of {@link #joining()}, which it calls unless overridden.
         */
        default void joining(Call<V, ?> leader) {
            joining();
        }
    }

    /** Why a waiting caller got no result: its deadline passed, it was interrupted, or the leader's call failed. */
    public sealed interface Miss {
        record TimedOut() implements Miss {}
        record Interrupted() implements Miss {}
        record LeaderFailed(Throwable cause) implements Miss {}
    }

    /**
     * Runs {@code call}, or joins the identical one in flight. A leader's failure reaches its waiters as the same
     * exception when it is an {@code E} or a RuntimeException; anything else goes through {@code miss}.
     */
    public <E extends Exception> V run(K key, long deadlineNanos, Call<V, E> call, Function<Miss, E> miss,
                                       Class<E> failureType) throws E {
        CompletableFuture<V> mine = new CompletableFuture<>();
        Flight<V> flight = new Flight<>(mine, deadlineNanos, new AtomicBoolean(), call);
        Flight<V> leader = inflight.putIfAbsent(key, flight);
        if (leader != null) {
            call.joining(leader.leader());
            return await(key, leader, deadlineNanos, miss, failureType);
        }
        try {
            // Let the threads already waiting for the processor run first: those about to make the same call join this
            // one instead of following it with their own (a request that finishes sooner sets its client's next one
            // off sooner, and alone, unless the leader waits for the others that are on their way).
            if (Thread.currentThread().isVirtual()) Thread.yield();
            V result = call.call();
            mine.complete(result);
            return result;
        } catch (Exception | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inflight.remove(key, flight);
        }
    }

    /** Whether a call of {@code key} is in flight now (it may end at any moment: {@link #join} says for sure). */
    public boolean inFlight(K key) {
        return inflight.containsKey(key);
    }

    /**
     * Waits for the call of {@code key} in flight, as {@link #run} does for a caller that joins one, or returns null at
     * once when there is none (so results must never be null).
     */
    public <E extends Exception> V join(K key, long deadlineNanos, Function<Miss, E> miss, Class<E> failureType) throws E {
        return join(key, deadlineNanos, null, miss, failureType);
    }

    /** As {@link #join(Object, long, Function, Class)}; {@code joining} (if not null) is run once there is one to wait for. */
    public <E extends Exception> V join(K key, long deadlineNanos, Runnable joining, Function<Miss, E> miss, Class<E> failureType)
            throws E {
        return joinLeader(key, deadlineNanos, joining == null ? null : leader -> joining.run(), miss, failureType);
    }

    /** As {@link #join(Object, long, Runnable, Function, Class)}; {@code joining} is given the leader's call. */
    public <E extends Exception> V joinLeader(K key, long deadlineNanos, Consumer<Call<V, ?>> joining, Function<Miss, E> miss,
                                              Class<E> failureType) throws E {
        Flight<V> leader = inflight.get(key);
        if (leader == null) return null;
        if (joining != null) joining.accept(leader.leader());
        return await(key, leader, deadlineNanos, miss, failureType);
    }

    /**
     * A waiter whose deadline is not before the leader's waits without a timer of its own: the result is there by the
     * leader's deadline, or one timer per flight (set by its first such waiter) ends the wait then. A timed wait on a
     * virtual thread is a task in the JDK's delay queue, scheduled and cancelled: with one per waiter, that queue's
     * thread took a large share of the router's CPU under UNIQUE_AUTH, where most subgraph calls have waiters
     * (docs/performance.md, "Figures behind the code").
     * A waiter with an earlier deadline than the leader's still waits with its own.
     */
    private <E extends Exception> V await(K key, Flight<V> leader, long deadlineNanos,
                                                    Function<Miss, E> miss, Class<E> failureType) throws E {
        try {
            if (deadlineNanos - leader.deadlineNanos() >= 0) {
                if (leader.guarded().compareAndSet(false, true)) {
                    leader.result().orTimeout(Math.max(0, leader.deadlineNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                return leader.result().get();
            }
            return leader.result().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw miss.apply(new Miss.TimedOut());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw miss.apply(new Miss.Interrupted());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            // the flight's timer: the leader overran its deadline, which is not after this waiter's. The flight is over
            // for everyone then: later callers must start their own call, not join one that has already failed.
            if (cause instanceof TimeoutException) {
                inflight.remove(key, leader);
                throw miss.apply(new Miss.TimedOut());
            }
            if (failureType.isInstance(cause)) throw failureType.cast(cause);
            if (cause instanceof RuntimeException runtime) throw runtime;
            throw miss.apply(new Miss.LeaderFailed(cause));
        }
    }

    /** Calls in flight now (for tests and metrics). */
    public int size() {
        return inflight.size();
    }
}
