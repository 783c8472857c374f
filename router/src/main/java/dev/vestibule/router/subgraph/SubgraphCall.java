package dev.vestibule.router.subgraph;

import java.util.Map;

/**
 * One request to a subgraph, as a {@link SubgraphTransport} sends it: the subgraph's name (decorators such as the
 * protection limit decide by it), its URL, the JSON body, the forwarded headers, the propagation headers, the moment
 * ({@link System#nanoTime()}) by which the answer is due, and whether the call may be sent twice.
 *
 * <p>{@code headers} are the forwarded ones (header rules, identity headers): they can change the answer, so they are
 * part of what makes two calls the same and a call is only shared with callers whose forwarded headers are equal.
 * {@code propagationHeaders} (trace context such as {@code traceparent}) cannot change the answer and differ per request:
 * they are sent but kept out of every de-duplication key, so a call that joins another's sends nothing and its
 * propagation headers go nowhere (the call in flight carries its leader's). A propagation header of the same name as a
 * forwarded one replaces it.
 *
 * <p>Not a key itself: the body is compared by identity here; {@link SubgraphClient} keys calls by content.
 */
public record SubgraphCall(String subgraph, String url, byte[] body, Map<String, String> headers,
                           Map<String, String> propagationHeaders, long deadlineNanos, boolean idempotent) {

    /** What is left of the call's time now (negative once it is due). */
    public long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }
}
