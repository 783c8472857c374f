package dev.vestibule.router.subgraph;

import dev.vestibule.router.concurrent.SharedCalls;
import dev.vestibule.router.json.JsonOutput;
import dev.vestibule.router.json.JsonReader;
import dev.vestibule.router.json.JsonWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends GraphQL requests to subgraphs through a {@link SubgraphTransport} (pooled keep-alive HTTP by default).
 * A response counts only when it is HTTP 2xx with a JSON object body; anything else is a {@link SubgraphFailure}.
 */
public final class SubgraphClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SubgraphClient.class);

    private final SubgraphTransport transport;
    /** Identical subgraph queries in flight at the same moment share one HTTP call (same URL, body and headers). */
    private final SharedCalls<InflightKey, SubgraphResponse> inflight = new SharedCalls<>();
    /** Per subgraph URL and failure code: when such failures were last logged (see {@link #failed}). */
    private final Map<String, FailureLog> failureLogs = new ConcurrentHashMap<>();
    /** Numbers the HTTP calls made, so that an answer's number names it (see {@link SubgraphResponse}). */
    private final AtomicLong calls = new AtomicLong();

    /**
     * What makes two subgraph requests the same: URL, body (by content) and headers. The body's hash is computed once,
     * with Arrays.hashCode (vectorised by the JIT): ByteBuffer's byte-by-byte hash of a few KB of representations showed
     * in the router's CPU profile (docs/performance.md, "Figures behind the code").
     */
    private record InflightKey(String url, byte[] body, Map<String, String> headers, int hash) {
        InflightKey(String url, byte[] body, Map<String, String> headers) {
            this(url, body, headers, (url.hashCode() * 31 + Arrays.hashCode(body)) * 31 + headers.hashCode());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InflightKey k && k.hash == hash && k.url.equals(url) && Arrays.equals(k.body, body)
                    && k.headers.equals(headers);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** Request bodies, each output buffer sized by the last body. */
    private final JsonWriter bodies = new JsonWriter();
    /**
     * Each subgraph operation's text as a JSON string, encoded once: the plan's operations are sent again and again,
     * and the text is most of a small request's body. Bounded: past it the cache starts afresh.
     */
    private final Map<String, byte[]> encodedOperations = new ConcurrentHashMap<>();
    private static final int MAX_ENCODED_OPERATIONS = 10_000;
    private static final byte[] QUERY = ascii("{\"query\":");
    private static final byte[] OPERATION_NAME = ascii(",\"operationName\":");
    private static final byte[] VARIABLES = ascii(",\"variables\":");

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Over HTTP: see {@link OkHttpTransport}. */
    public SubgraphClient(Duration timeout, int maxConnectionsPerSubgraph, int subgraphs) {
        this(new OkHttpTransport(timeout, maxConnectionsPerSubgraph, subgraphs));
    }

    public SubgraphClient(SubgraphTransport transport) {
        this.transport = transport;
    }

    /**
     * POSTs {"query", "operationName", "variables"} to {@code subgraph} at {@code url} and returns the response's JSON
     * object. With {@code shareable} (queries, never mutations) an identical request already in flight (same URL, body
     * and forwarded {@code headers}; {@code propagationHeaders} are not compared) is joined instead of sent again;
     * {@code stage} is told which happened, and the status of a call that went out.
     */
    public SubgraphResponse post(String subgraph, String url, String query, String operationName, Map<String, Object> variables,
                                 Map<String, String> headers, Map<String, String> propagationHeaders, long deadlineNanos,
                                 boolean shareable, SubgraphCallStage stage) throws SubgraphFailure {
        if (deadlineNanos - System.nanoTime() <= 0) throw new SubgraphFailure("REQUEST_TIMEOUT", "the request's deadline passed before it was asked", null);
        byte[] bytes;
        try {
            bytes = body(query, operationName, variables);
        } catch (RuntimeException e) {
            throw failed(url, "SUBGRAPH_INVALID_REQUEST", "the request could not be encoded", e);
        }
        // the planner writes a mutation's operation as "mutation ...": anything else may be sent twice (a retry)
        boolean idempotent = !query.startsWith("mutation");
        if (!shareable) {
            return send(new SubgraphCall(subgraph, url, bytes, headers, stage.propagationHeaders(propagationHeaders), deadlineNanos,
                    idempotent), stage);
        }
        // the key holds what can change the answer: never the propagation headers, which differ per request
        return inflight.run(new InflightKey(url, bytes, Map.copyOf(headers)), deadlineNanos,
                new Send(subgraph, url, bytes, headers, propagationHeaders, deadlineNanos, idempotent, stage),
                SubgraphFailure::missed, SubgraphFailure.class);
    }

    /**
     * A shared call's sending, run by the caller that leads it (the call is built then: callers that join build none);
     * a caller that joins one in flight tells its stage so (a class rather than a lambda, which would allocate as much
     * and could not say so).
     */
    private final class Send implements SharedCalls.Call<SubgraphResponse, SubgraphFailure> {
        private final String subgraph;
        private final String url;
        private final byte[] bytes;
        private final Map<String, String> headers;
        private final Map<String, String> propagationHeaders;
        private final long deadlineNanos;
        private final boolean idempotent;
        private final SubgraphCallStage stage;

        Send(String subgraph, String url, byte[] bytes, Map<String, String> headers, Map<String, String> propagationHeaders,
             long deadlineNanos, boolean idempotent, SubgraphCallStage stage) {
            this.subgraph = subgraph;
            this.url = url;
            this.bytes = bytes;
            this.headers = headers;
            this.propagationHeaders = propagationHeaders;
            this.deadlineNanos = deadlineNanos;
            this.idempotent = idempotent;
            this.stage = stage;
        }

        @Override
        public SubgraphResponse call() throws SubgraphFailure {
            return send(new SubgraphCall(subgraph, url, bytes, headers, stage.propagationHeaders(propagationHeaders), deadlineNanos,
                    idempotent), stage);
        }

        @Override
        public void joining(SharedCalls.Call<SubgraphResponse, ?> leader) {
            stage.joined(SubgraphCallStage.Join.HTTP_CALL, leader instanceof Send send ? send.stage : SubgraphCallStage.NONE);
        }
    }

    /** {"query", "operationName", "variables"} as JSON, the last two only when there are any. */
    private byte[] body(String query, String operationName, Map<String, Object> variables) {
        JsonOutput out = bodies.newOutput();
        out.raw(QUERY);
        out.raw(encoded(query));
        if (operationName != null) {
            out.raw(OPERATION_NAME);
            out.string(operationName);
        }
        if (!variables.isEmpty()) {
            out.raw(VARIABLES);
            out.value(variables);
        }
        out.raw((byte) '}');
        return bodies.finish(out).toArray();
    }

    private byte[] encoded(String operation) {
        byte[] known = encodedOperations.get(operation);
        if (known != null) return known;
        if (encodedOperations.size() >= MAX_ENCODED_OPERATIONS) encodedOperations.clear();
        byte[] encoded = JsonWriter.toBytes(operation);
        encodedOperations.put(operation, encoded);
        return encoded;
    }

    /** Sends {@code call} through the transport; a failure a decorator decided (SUBGRAPH_RATE_LIMITED) passes as it is. */
    private SubgraphResponse send(SubgraphCall call, SubgraphCallStage stage) throws SubgraphFailure {
        String url = call.url();
        SubgraphTransport.Reply reply;
        try {
            reply = transport.send(call);
        } catch (InterruptedIOException e) {
            throw failed(url, "SUBGRAPH_TIMEOUT", "no answer in time", e);
        } catch (ConnectException e) {
            throw failed(url, "SUBGRAPH_UNREACHABLE", "cannot connect", e);
        } catch (IOException e) {
            throw failed(url, "SUBGRAPH_UNREACHABLE", "the connection failed", e);
        } catch (IllegalArgumentException e) {
            // OkHttp refuses a header name or value it cannot send (a control character): a request of this client,
            // not a router failure, so it costs the fetch and not the whole request
            throw failed(url, "SUBGRAPH_INVALID_REQUEST", "a header for it cannot be sent", e);
        }
        stage.answered(reply.status());
        if (reply.status() < 200 || reply.status() >= 300) {
            throw failed(url, "SUBGRAPH_HTTP_ERROR", "HTTP " + reply.status(), null);
        }
        try {
            return new SubgraphResponse(JsonReader.readObject(reply.body()), calls.incrementAndGet());
        } catch (IOException e) {
            throw failed(url, "SUBGRAPH_INVALID_RESPONSE", "the response is not a JSON object", e);
        }
    }

    /**
     * A failure for the client (a code and a reason that name no address: the executor puts the subgraph's name in
     * front) and its details for the operator: the URL and the exception, in the log. A dead subgraph under load
     * fails every call; one line per URL and code per second says so, with how many failures it stands for.
     */
    private SubgraphFailure failed(String url, String code, String reason, Throwable cause) {
        FailureLog log = failureLogs.computeIfAbsent(url + ' ' + code, k -> new FailureLog());
        long unlogged = log.due(System.nanoTime());
        if (unlogged >= 0) {
            LOG.warn("subgraph call to {} failed: {} ({}){}", url, code, cause == null ? reason : printable(cause.toString()),
                    unlogged == 0 ? "" : " (and " + unlogged + " more failures of it since the last line)");
        }
        return new SubgraphFailure(code, reason, cause);
    }

    /** One log line: an exception's text may quote a header value a client chose, CR and LF included. */
    private static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (out == null) out = new StringBuilder(text.length()).append(text, 0, i);
                out.append('?');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** When failures of one URL and code were last logged, and how many have not been since. */
    private static final class FailureLog {
        private static final long INTERVAL_NANOS = 1_000_000_000L;
        private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
        private final LongAdder unlogged = new LongAdder();

        /** -1 when this failure is not to be logged (it is counted), else the count of those not logged before it. */
        long due(long now) {
            long at = next.get();
            if ((at == Long.MIN_VALUE || now - at >= 0) && next.compareAndSet(at, now + INTERVAL_NANOS)) {
                return unlogged.sumThenReset();
            }
            unlogged.increment();
            return -1;
        }
    }

    @Override
    public void close() {
        transport.close();
    }
}
