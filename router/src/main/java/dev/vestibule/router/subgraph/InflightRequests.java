package dev.vestibule.router.subgraph;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Identical subgraph queries in flight at the same time share one HTTP call: same URL, same body, same headers.
 * The first caller sends it; the others wait for its answer (each within its own deadline). Answers are shared
 * read-only: the executor copies what it merges. Mutations never come here.
 */
final class InflightRequests {
    private final Map<Key, CompletableFuture<Map<String, Object>>> inflight = new ConcurrentHashMap<>();

    /** What makes two requests the same; ByteBuffer compares the body by content. */
    record Key(String url, ByteBuffer body, Map<String, String> headers) {}

    @FunctionalInterface
    interface Call {
        Map<String, Object> send() throws SubgraphFailure;
    }

    Map<String, Object> run(Key key, long deadlineNanos, Call call) throws SubgraphFailure {
        CompletableFuture<Map<String, Object>> mine = new CompletableFuture<>();
        CompletableFuture<Map<String, Object>> leader = inflight.putIfAbsent(key, mine);
        if (leader != null) return await(leader, key.url(), deadlineNanos);
        try {
            Map<String, Object> answer = call.send();
            mine.complete(answer);
            return answer;
        } catch (SubgraphFailure | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inflight.remove(key, mine);
        }
    }

    private static Map<String, Object> await(CompletableFuture<Map<String, Object>> leader, String url, long deadlineNanos)
            throws SubgraphFailure {
        try {
            return leader.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new SubgraphFailure("SUBGRAPH_TIMEOUT", "no answer from " + url + " in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SubgraphFailure("SUBGRAPH_TIMEOUT", "interrupted while waiting for " + url, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SubgraphFailure failure) throw failure;
            throw new SubgraphFailure("SUBGRAPH_UNREACHABLE", "the shared request to " + url + " failed: " + e.getCause(), e);
        }
    }

    int size() {
        return inflight.size();
    }
}
