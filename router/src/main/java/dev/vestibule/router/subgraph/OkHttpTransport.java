package dev.vestibule.router.subgraph;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Subgraph requests over pooled keep-alive HTTP connections (one OkHttp client for all subgraphs). */
public final class OkHttpTransport implements SubgraphTransport {
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private final OkHttpClient http;
    /**
     * Each subgraph URL parsed once: OkHttp's parsing runs the host through IDNA mapping (idnToAscii) for a result that
     * never changes. OkHttp still canonicalises the host once more per call, when it builds the call's Address.
     */
    private final Map<String, HttpUrl> urls = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param maxConnectionsPerSubgraph idle keep-alive connections kept per subgraph; the pool is shared, so it holds
     *                                  that many times the number of subgraphs (a smaller pool closes and reopens
     *                                  connections under load: measured as most of the router's CPU)
     */
    public OkHttpTransport(Duration timeout, int maxConnectionsPerSubgraph, int subgraphs) {
        this(timeout, maxConnectionsPerSubgraph, subgraphs, true);
    }

    /**
     * @param tls whether any subgraph is reached over https. Without it the client speaks cleartext HTTP only and
     *            never builds a TLS context: loading the JDK's trust store and security providers was a tenth of the
     *            router's start-up on one core. A supergraph with an https subgraph gets a client that can.
     */
    public OkHttpTransport(Duration timeout, int maxConnectionsPerSubgraph, int subgraphs, boolean tls) {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(Math.max(64, maxConnectionsPerSubgraph * Math.max(1, subgraphs)));
        dispatcher.setMaxRequestsPerHost(maxConnectionsPerSubgraph);
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        if (!tls) builder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        this.http = builder
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(maxConnectionsPerSubgraph * Math.max(1, subgraphs), 5, TimeUnit.MINUTES))
                .callTimeout(timeout)
                .connectTimeout(Duration.ofSeconds(Math.min(10, Math.max(1, timeout.toSeconds()))))
                // no socket read timeout: the call timeout (and each call's deadline) bounds the whole exchange. A socket
                // timeout makes every blocking read of a virtual thread a timed park, which the JDK schedules and
                // cancels in its delay queue: 6 % of the router's CPU under UNIQUE_AUTH.
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .retryOnConnectionFailure(false)
                .build();
    }

    @Override
    public Reply post(String url, byte[] body, Map<String, String> headers, long timeoutNanos) throws IOException {
        Request.Builder request = new Request.Builder().url(urls.computeIfAbsent(url, HttpUrl::get)).post(RequestBody.create(body, JSON_TYPE))
                .header("accept", "application/graphql-response+json, application/json");
        headers.forEach(request::header);
        okhttp3.Call call = http.newCall(request.build());
        long configured = call.timeout().timeoutNanos();
        call.timeout().timeout(configured == 0 ? timeoutNanos : Math.min(timeoutNanos, configured), TimeUnit.NANOSECONDS);
        try (Response response = call.execute()) {
            return new Reply(response.code(), response.body().bytes());
        }
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
