package dev.vestibule.router.subgraph;

import dev.vestibule.router.concurrent.SharedCalls;
import dev.vestibule.router.json.JsonOutput;
import dev.vestibule.router.json.JsonReader;
import dev.vestibule.router.json.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;

/**
 * Sends GraphQL requests to subgraphs through a {@link SubgraphTransport} (pooled keep-alive HTTP by default).
 * A response counts only when it is HTTP 2xx with a JSON object body; anything else is a {@link SubgraphFailure}.
 */
public final class SubgraphClient implements AutoCloseable {

    private final SubgraphTransport transport;
    /** Identical subgraph queries in flight at the same moment share one HTTP call (same URL, body and headers). */
    private final SharedCalls<InflightKey, SubgraphResponse> inflight = new SharedCalls<>();
    /** Numbers the HTTP calls made, so that an answer's number names it (see {@link SubgraphResponse}). */
    private final AtomicLong calls = new AtomicLong();

    /**
     * What makes two subgraph requests the same: URL, body (by content) and headers. The body's hash is computed once,
     * with Arrays.hashCode (vectorised by the JIT): ByteBuffer's byte-by-byte hash of a few KB of representations was
     * 3 % of the router's CPU.
     */
    private record InflightKey(String url, byte[] body, Map<String, String> headers, int hash) {
        InflightKey(String url, byte[] body, Map<String, String> headers) {
            this(url, body, headers, (url.hashCode() * 31 + java.util.Arrays.hashCode(body)) * 31 + headers.hashCode());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InflightKey k && k.hash == hash && k.url.equals(url) && java.util.Arrays.equals(k.body, body)
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
     * POSTs {"query", "operationName", "variables"} and returns the response's JSON object. With {@code shareable}
     * (queries, never mutations) an identical request already in flight is joined instead of sent again.
     */
    public SubgraphResponse post(String url, String query, String operationName, Map<String, Object> variables,
                                 Map<String, String> headers, long deadlineNanos, boolean shareable) throws SubgraphFailure {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) throw new SubgraphFailure("REQUEST_TIMEOUT", "the request's deadline passed before " + url + " was asked", null);
        byte[] bytes;
        try {
            bytes = body(query, operationName, variables);
        } catch (RuntimeException e) {
            throw new SubgraphFailure("SUBGRAPH_INVALID_REQUEST", "could not encode the request: " + e.getMessage(), e);
        }
        if (!shareable) return send(url, bytes, headers, remaining);
        return inflight.run(new InflightKey(url, bytes, Map.copyOf(headers)), deadlineNanos,
                () -> send(url, bytes, headers, remaining), miss -> SubgraphFailure.missed(miss, url), SubgraphFailure.class);
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

    private SubgraphResponse send(String url, byte[] bytes, Map<String, String> headers, long remaining) throws SubgraphFailure {
        SubgraphTransport.Reply reply;
        try {
            reply = transport.post(url, bytes, headers, remaining);
        } catch (InterruptedIOException e) {
            throw new SubgraphFailure("SUBGRAPH_TIMEOUT", "no answer from " + url + " in time", e);
        } catch (ConnectException e) {
            throw new SubgraphFailure("SUBGRAPH_UNREACHABLE", "cannot connect to " + url, e);
        } catch (IOException e) {
            throw new SubgraphFailure("SUBGRAPH_UNREACHABLE", "the connection to " + url + " failed: " + e.getMessage(), e);
        }
        if (reply.status() < 200 || reply.status() >= 300) {
            throw new SubgraphFailure("SUBGRAPH_HTTP_ERROR", "HTTP " + reply.status() + " from " + url, null);
        }
        try {
            return new SubgraphResponse(JsonReader.readObject(reply.body()), calls.incrementAndGet());
        } catch (IOException e) {
            throw new SubgraphFailure("SUBGRAPH_INVALID_RESPONSE", "the response of " + url + " is not a JSON object", e);
        }
    }

    @Override
    public void close() {
        transport.close();
    }
}
