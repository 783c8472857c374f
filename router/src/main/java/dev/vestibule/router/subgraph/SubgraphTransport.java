package dev.vestibule.router.subgraph;

import java.io.IOException;
import java.time.Duration;

/**
 * How a subgraph request travels: one POST of a JSON body, answered with a status and the body's bytes. The router
 * uses {@link OkHttpTransport}, decorated with the protection limit ({@link ProtectedTransport}); benchmarks and tests
 * plug in canned answers. Transports sit below the shared calls ({@link SubgraphClient}): a call that joins an
 * identical one in flight never reaches the transport, so a decorator sees each call that goes out once.
 */
public interface SubgraphTransport extends AutoCloseable {
    /**
     * Sends {@code call} by its deadline, all of it: connecting, sending, waiting and reading, and a retry if any. A
     * transport that retries a call that failed without an answer retries a call that is not
     * {@linkplain SubgraphCall#idempotent() idempotent} (a mutation) only when the failure proves it was not sent.
     *
     * @throws java.io.InterruptedIOException when the time ran out
     * @throws java.net.ConnectException when no connection could be made
     * @throws IOException when the exchange failed otherwise
     * @throws SubgraphFailure when a decorator decided not to send the call (its code says why: SUBGRAPH_RATE_LIMITED)
     */
    Reply send(SubgraphCall call) throws IOException, SubgraphFailure;

    /**
     * An HTTP answer: its status code, its body, and the wait its {@code Retry-After} header asked for (null when it has
     * none or when it is not an error; the retries honour it).
     */
    record Reply(int status, byte[] body, Duration retryAfter) {
        public Reply(int status, byte[] body) {
            this(status, body, null);
        }
    }

    @Override
    void close();
}
