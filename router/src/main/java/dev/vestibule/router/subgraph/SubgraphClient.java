package dev.vestibule.router.subgraph;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.concurrent.SharedCalls;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends GraphQL requests to subgraphs over pooled keep-alive connections (one OkHttp client for all subgraphs).
 * A response counts only when it is HTTP 2xx with a JSON object body; anything else is a {@link SubgraphFailure}.
 */
public final class SubgraphClient implements AutoCloseable {
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};

    private final OkHttpClient http;
    /** Identical subgraph queries in flight at the same moment share one HTTP call (same URL, body and headers). */
    private final SharedCalls<InflightKey, Map<String, Object>> inflight = new SharedCalls<>();

    /** What makes two subgraph requests the same; ByteBuffer compares the body by content. */
    private record InflightKey(String url, java.nio.ByteBuffer body, Map<String, String> headers) {}

    /**
     * @param maxConnectionsPerSubgraph idle keep-alive connections kept per subgraph; the pool is shared, so it holds
     *                                  that many times the number of subgraphs (a smaller pool closes and reopens
     *                                  connections under load: measured as most of the router's CPU)
     */
    public SubgraphClient(Duration timeout, int maxConnectionsPerSubgraph, int subgraphs) {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(Math.max(64, maxConnectionsPerSubgraph * Math.max(1, subgraphs)));
        dispatcher.setMaxRequestsPerHost(maxConnectionsPerSubgraph);
        this.http = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(maxConnectionsPerSubgraph * Math.max(1, subgraphs), 5, TimeUnit.MINUTES))
                .callTimeout(timeout)
                .connectTimeout(Duration.ofSeconds(Math.min(10, Math.max(1, timeout.toSeconds()))))
                .readTimeout(timeout)
                .retryOnConnectionFailure(false)
                .build();
    }

    /**
     * POSTs {"query", "operationName", "variables"} and returns the response's JSON object. With {@code shareable}
     * (queries, never mutations) an identical request already in flight is joined instead of sent again.
     */
    public Map<String, Object> post(String url, String query, String operationName, Map<String, Object> variables,
                                    Map<String, String> headers, long deadlineNanos, boolean shareable) throws SubgraphFailure {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) throw new SubgraphFailure("REQUEST_TIMEOUT", "the request's deadline passed before " + url + " was asked", null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        if (operationName != null) body.put("operationName", operationName);
        if (!variables.isEmpty()) body.put("variables", variables);
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new SubgraphFailure("SUBGRAPH_INVALID_REQUEST", "could not encode the request: " + e.getMessage(), e);
        }
        if (!shareable) return send(url, bytes, headers, remaining);
        return inflight.run(new InflightKey(url, java.nio.ByteBuffer.wrap(bytes), Map.copyOf(headers)), deadlineNanos,
                () -> send(url, bytes, headers, remaining), miss -> switch (miss) {
                    case SharedCalls.Miss.TimedOut t -> new SubgraphFailure("SUBGRAPH_TIMEOUT", "no answer from " + url + " in time", null);
                    case SharedCalls.Miss.Interrupted i -> new SubgraphFailure("SUBGRAPH_TIMEOUT", "interrupted while waiting for " + url, null);
                    case SharedCalls.Miss.LeaderFailed f -> new SubgraphFailure("SUBGRAPH_UNREACHABLE",
                            "the shared request to " + url + " failed: " + f.cause(), f.cause());
                }, SubgraphFailure.class);
    }

    private Map<String, Object> send(String url, byte[] bytes, Map<String, String> headers, long remaining) throws SubgraphFailure {
        Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(bytes, JSON_TYPE))
                .header("accept", "application/graphql-response+json, application/json");
        headers.forEach(request::header);
        okhttp3.Call call = http.newCall(request.build());
        call.timeout().timeout(Math.min(remaining, call.timeout().timeoutNanos() == 0 ? remaining : call.timeout().timeoutNanos()),
                TimeUnit.NANOSECONDS);
        try (Response response = call.execute()) {
            ResponseBody responseBody = response.body();
            byte[] payload = responseBody.bytes();
            if (!response.isSuccessful()) {
                throw new SubgraphFailure("SUBGRAPH_HTTP_ERROR", "HTTP " + response.code() + " from " + url, null);
            }
            try {
                return JSON.readValue(payload, JSON_OBJECT);
            } catch (IOException e) {
                throw new SubgraphFailure("SUBGRAPH_INVALID_RESPONSE", "the response of " + url + " is not a JSON object", e);
            }
        } catch (InterruptedIOException e) {
            throw new SubgraphFailure("SUBGRAPH_TIMEOUT", "no answer from " + url + " in time", e);
        } catch (ConnectException e) {
            throw new SubgraphFailure("SUBGRAPH_UNREACHABLE", "cannot connect to " + url, e);
        } catch (IOException e) {
            throw new SubgraphFailure("SUBGRAPH_UNREACHABLE", "the connection to " + url + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
