package dev.vestibule.router.subgraph;

import dev.vestibule.router.tls.ClientTls;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Subgraph requests over pooled keep-alive HTTP connections (one OkHttp client for all subgraphs, and one more per
 * subgraph whose TLS or HTTP/2 settings differ, sharing its connection pool: {@link SubgraphConnections}).
 *
 * <p>Every call is synchronous and bounded as a whole by its timeout: connecting, sending, waiting and reading
 * (OkHttp's call timeout starts when the call does). Nothing queues calls: OkHttp's Dispatcher limits only
 * asynchronous calls, and the pool bounds idle connections, not calls in flight, so a hung subgraph holds its own
 * callers for their timeout and nobody else.
 *
 * <p>A server closes a keep-alive connection it has not used for a while (Node: 5 s), and a client that sends on it
 * just then gets no answer ("unexpected end of stream"). Two things keep that from failing requests: idle
 * connections are closed before common servers close them ({@code idleTimeout}, default 4 s), and a call that
 * fails on a reused connection before any answer arrived is sent once more on a new connection, within the time
 * left: a query always, a mutation only when it failed before its first byte was written (proof it was not sent).
 */
public final class OkHttpTransport implements SubgraphTransport {
    /** Below Node's default keep-alive (5 s), the shortest common one. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(4);
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    /** Every subgraph's clients but those with connection settings of their own ({@link #bySubgraph}). */
    private final Clients clients;
    private final Map<String, Clients> bySubgraph;
    private final LongAdder retries = new LongAdder();
    /**
     * Each subgraph URL parsed once: OkHttp's parsing runs the host through IDNA mapping (idnToAscii) for a result that
     * never changes. OkHttp still canonicalises the host once more per call, when it builds the call's Address.
     */
    private final Map<String, HttpUrl> urls = new ConcurrentHashMap<>();

    /**
     * @param maxConnectionsPerSubgraph idle keep-alive connections kept per subgraph; the pool is shared, so it holds
     *                                  that many times the number of subgraphs (a smaller pool closes and reopens
     *                                  connections under load, which cost most of the router's CPU:
     *                                  docs/performance.md, "Figures behind the code")
     */
    public OkHttpTransport(Duration timeout, int maxConnectionsPerSubgraph, int subgraphs) {
        this(timeout, maxConnectionsPerSubgraph, subgraphs, true, DEFAULT_IDLE_TIMEOUT);
    }

    /**
     * @param tls         whether any subgraph is reached over https. Without it the client speaks cleartext HTTP only
     *                    and never builds a TLS context: loading the JDK's trust store and security providers was a
     *                    tenth of the router's start-up on one core. A supergraph with an https subgraph gets a client
     *                    that can.
     * @param idleTimeout how long a pooled connection may stay unused before it is closed
     */
    public OkHttpTransport(Duration timeout, int maxConnectionsPerSubgraph, int subgraphs, boolean tls, Duration idleTimeout) {
        this(timeout, maxConnectionsPerSubgraph, subgraphs, tls, idleTimeout, SubgraphConnections.DEFAULTS);
    }

    /**
     * @param connections TLS (trusted CAs, a client certificate) and HTTP/2, for every subgraph and per subgraph; the
     *                    TLS contexts are made here, once per transport (a supergraph reload makes a new one)
     */
    public OkHttpTransport(Duration timeout, int maxConnectionsPerSubgraph, int subgraphs, boolean tls, Duration idleTimeout,
                           SubgraphConnections connections) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        if (!tls) builder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        OkHttpClient http = builder
                .connectionPool(new ConnectionPool(maxConnectionsPerSubgraph * Math.max(1, subgraphs), idleTimeout.toNanos(),
                        TimeUnit.NANOSECONDS))
                .callTimeout(timeout)
                .connectTimeout(Duration.ofSeconds(Math.min(10, Math.max(1, timeout.toSeconds()))))
                // no socket read timeout: the call timeout (and each call's deadline) bounds the whole exchange. A socket
                // timeout makes every blocking read of a virtual thread a timed park, which the JDK schedules and
                // cancels in its delay queue, a visible share of the router's CPU under UNIQUE_AUTH
                // (docs/performance.md, "Figures behind the code")
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                // OkHttp's own retry would send a mutation again after it was sent: this class decides (see above)
                .retryOnConnectionFailure(false)
                .eventListenerFactory(call -> {
                    Exchange exchange = call.request().tag(Exchange.class);
                    return exchange != null ? exchange : EventListener.NONE;
                })
                .build();
        this.clients = Clients.of(http, connections.all(), tls);
        Map<String, Clients> own = new LinkedHashMap<>();
        connections.subgraphs().forEach((name, connection) -> own.put(name, Clients.of(http, connection, tls)));
        this.bySubgraph = Map.copyOf(own);
    }

    /**
     * A subgraph's client and, for retries, the same client with a pool that keeps no connection, so every call it
     * makes opens a new one.
     */
    private record Clients(OkHttpClient http, OkHttpClient fresh) {
        /** Clients made from {@code base} (sharing its pool and dispatcher) with {@code connection}'s TLS and HTTP/2. */
        static Clients of(OkHttpClient base, SubgraphConnections.Connection connection, boolean tls) {
            OkHttpClient.Builder builder = base.newBuilder();
            if (!connection.tls().isDefault()) {
                ClientTls.Context context = connection.tls().context();
                builder.sslSocketFactory(context.socketFactory(), context.trustManager());
                if (!tls) builder.connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT));
            }
            builder.protocols(switch (connection.http2()) {
                case NEGOTIATE -> List.of(Protocol.HTTP_2, Protocol.HTTP_1_1);
                case DISABLE -> List.of(Protocol.HTTP_1_1);
                case PRIOR_KNOWLEDGE -> List.of(Protocol.H2_PRIOR_KNOWLEDGE);
            });
            OkHttpClient http = builder.build();
            return new Clients(http, http.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build());
        }
    }

    @Override
    public Reply send(SubgraphCall call) throws IOException {
        long deadline = call.deadlineNanos();
        long timeoutNanos = call.remainingNanos();
        if (timeoutNanos <= 0) throw new InterruptedIOException("the call's deadline passed before it was sent");
        Exchange exchange = new Exchange();
        Request.Builder builder = new Request.Builder().url(urls.computeIfAbsent(call.url(), HttpUrl::get))
                .post(RequestBody.create(call.body(), JSON_TYPE))
                .header("accept", "application/graphql-response+json, application/json")
                .tag(Exchange.class, exchange);
        call.headers().forEach(builder::header);
        call.propagationHeaders().forEach(builder::header);
        Request request = builder.build();
        Clients clients = bySubgraph.isEmpty() ? this.clients : bySubgraph.getOrDefault(call.subgraph(), this.clients);
        try {
            return execute(clients.http(), request, timeoutNanos);
        } catch (InterruptedIOException e) {
            throw e; // out of time: nothing left for a retry
        } catch (IOException e) {
            long remaining = deadline - System.nanoTime();
            if (!exchange.retryable(call.idempotent()) || remaining <= 0) throw e;
            retries.increment();
            try {
                return execute(clients.fresh(), request, remaining);
            } catch (IOException again) {
                again.addSuppressed(e);
                throw again;
            }
        }
    }

    private static Reply execute(OkHttpClient client, Request request, long timeoutNanos) throws IOException {
        Call call = client.newCall(request);
        long configured = call.timeout().timeoutNanos();
        call.timeout().timeout(configured == 0 ? timeoutNanos : Math.min(timeoutNanos, configured), TimeUnit.NANOSECONDS);
        try (Response response = call.execute()) {
            int status = response.code();
            // read only on an error, the only answers a retry looks at
            Duration retryAfter = status >= 400 ? retryAfter(response.header("retry-after")) : null;
            return new Reply(status, response.body().bytes(), retryAfter);
        }
    }

    /** A Retry-After header's wait: delay-seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) return null;
        String text = value.trim();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration wait = Duration.between(Instant.now(), ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** Calls sent a second time on a new connection after failing on a reused one (tests, metrics). */
    public long retries() {
        return retries.sum();
    }

    /**
     * How far one call got, from OkHttp's events: whether it was given a pooled connection (connected to nothing new),
     * whether it started writing the request, whether an answer's head arrived.
     */
    private static final class Exchange extends EventListener {
        private volatile boolean acquired;
        private volatile boolean connected;
        private volatile boolean requestStarted;
        private volatile boolean answered;

        @Override
        public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
            connected = true;
        }

        @Override
        public void connectionAcquired(Call call, Connection connection) {
            acquired = true;
        }

        @Override
        public void requestHeadersStart(Call call) {
            requestStarted = true;
        }

        @Override
        public void responseHeadersStart(Call call) {
            answered = true;
        }

        /**
         * Whether a failed call may be sent again: it failed on a reused connection (one the server may have closed
         * while it lay idle) with no answer, and it is idempotent or was never written.
         */
        boolean retryable(boolean idempotent) {
            return acquired && !connected && !answered && (idempotent || !requestStarted);
        }
    }

    @Override
    public void close() {
        // every client shares the first one's dispatcher and pool; each fresh client has a pool of its own
        clients.http().dispatcher().executorService().shutdown();
        clients.http().connectionPool().evictAll();
        clients.fresh().connectionPool().evictAll();
        bySubgraph.values().forEach(c -> c.fresh().connectionPool().evictAll());
    }
}
