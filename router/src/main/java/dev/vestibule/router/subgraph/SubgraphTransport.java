package dev.vestibule.router.subgraph;

import java.io.IOException;
import java.util.Map;

/**
 * How a subgraph request travels: one POST of a JSON body, answered with a status and the body's bytes. The router
 * uses {@link OkHttpTransport}; benchmarks plug in canned answers to measure the router's own cost without a network.
 */
public interface SubgraphTransport extends AutoCloseable {
    /**
     * POSTs {@code body} (JSON) to {@code url} within {@code timeoutNanos}, all of it: connecting, sending, waiting
     * and reading, and a retry if any.
     *
     * @param idempotent whether the request may be sent twice (a query; a mutation may not): a transport that retries
     *                   a call that failed without an answer retries a non-idempotent one only when the failure proves
     *                   that the request was not sent
     *
     * @throws java.io.InterruptedIOException when the time ran out
     * @throws java.net.ConnectException when no connection could be made
     * @throws IOException when the exchange failed otherwise
     */
    Reply post(String url, byte[] body, Map<String, String> headers, long timeoutNanos, boolean idempotent) throws IOException;

    /** An HTTP answer: its status code and its body. */
    record Reply(int status, byte[] body) {}

    @Override
    void close();
}
