package dev.vestibule.router.concurrent;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Identical calls in flight at the same moment share one execution ("single flight"): the first caller of a key runs
 * the call, callers arriving while it runs wait for its result, each within its own deadline. Nothing is cached: once
 * the call returns, the next caller of the key runs it again. Results are shared, so they must be read-only.
 *
 * @param <K> what makes two calls the same (equals/hashCode by content)
 * @param <V> the shared result
 */
public final class SharedCalls<K, V> {
    private final Map<K, CompletableFuture<V>> inflight = new ConcurrentHashMap<>();

    @FunctionalInterface
    public interface Call<V, E extends Exception> {
        V call() throws E;
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
    public <E extends Exception> V run(K key, long deadlineNanos, Call<V, E> call, java.util.function.Function<Miss, E> miss,
                                       Class<E> failureType) throws E {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> leader = inflight.putIfAbsent(key, mine);
        if (leader != null) return await(leader, deadlineNanos, miss, failureType);
        try {
            V result = call.call();
            mine.complete(result);
            return result;
        } catch (Exception | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inflight.remove(key, mine);
        }
    }

    private static <V, E extends Exception> V await(CompletableFuture<V> leader, long deadlineNanos,
                                                    java.util.function.Function<Miss, E> miss, Class<E> failureType) throws E {
        try {
            return leader.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw miss.apply(new Miss.TimedOut());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw miss.apply(new Miss.Interrupted());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
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
