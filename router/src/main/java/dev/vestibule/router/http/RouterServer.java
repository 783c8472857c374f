package dev.vestibule.router.http;

import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.json.JsonWriter;
import dev.vestibule.router.middleware.EdgeChain;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.router.telemetry.Telemetry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's HTTP server: Jetty, everything on virtual threads. GraphQL on /graphql
 * ({@link GraphQLHttpHandler}), /health (alive) and /ready ({@link Readiness}) ({@link StatusHandler}), the explorer
 * page on / when it is on ({@link ExplorerHandler}); graceful shutdown ({@link #shutDownGracefully}).
 * The router can be replaced while serving (hot reload): each request reads it once and keeps the one it got.
 *
 * <p>Why plain Jetty rather than Javalin: the router serves three fixed paths, and Javalin's servlet stack (a
 * servlet context, sessions, WebSocket initialisers) was a third of the router's start-up on one core, and more
 * than the router's own work per request on the hot path (see GraphQLHttpHandler); docs/performance.md has the figures.
 */
public final class RouterServer implements AutoCloseable {
    /**
     * In development mode (or with explorer.expose_plans), this request header set to true (or to explorer.plan_secret
     * when one is configured) puts the query plan (as text and as a tree) and the request's trace in the response's
     * extensions ({@link ServerSettings#exposesPlan}).
     */
    public static final String PLAN_HEADER = "x-vestibule-query-plan";
    /**
     * Pending connections the listening socket queues before accepting them. The JDK's default is 50: a burst of a few
     * hundred clients connecting at once (a deploy, a reconnecting fleet) then sees connection resets.
     */
    static final int ACCEPT_QUEUE = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(RouterServer.class);

    private final AtomicReference<Router> router;
    private final Server server;
    private final ServerConnector connector;
    /** Counts requests in flight, so that a graceful shutdown can wait for them. */
    private final GracefulHandler graceful;
    private final Readiness readiness;
    private final ClientFaults faults = new ClientFaults();
    private final PerClientConnectionLimit perClient;
    /** The listener's certificates when it serves TLS (watched and reloaded); null for cleartext. */
    private final ServerCertificates certificates;

    private RouterServer(Router router, RouterSettings settings, ServerSettings serverSettings, EdgePolicy policy,
                         ServerSocketChannel listening, Telemetry telemetry, UnaryOperator<Handler> routes) throws IOException {
        this.router = new AtomicReference<>(router);
        // every task on a virtual thread, the selector and acceptor too: on one core, platform-thread selectors handing
        // requests to virtual threads served 15-30 % fewer requests per second (A/B, docs/performance.md). No cap on
        // tasks (0): the default of 200 let about 205 clients that each sent half a body stop the whole router,
        // /health included; a request waiting for its body costs a parked virtual thread, and what bounds slow clients
        // is server.body_read_timeout and server.max_connections_per_client
        VirtualThreadPool threads = new VirtualThreadPool(0);
        threads.setName("vestibule-http");
        // the executor Jetty would make (a virtual thread per task), made here: Jetty finds Thread.ofVirtual() and the
        // builder's methods by reflection as it starts, which slowed the HTTP server's start
        // (docs/performance.md, "Figures behind the code")
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vestibule-http-", 0).factory()));
        this.server = new Server(threads);
        // Jetty's own refusals (a malformed request, headers too large) as GraphQL JSON errors, never HTML
        server.setErrorHandler(new JsonErrorHandler());
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        this.certificates = serverSettings.tls() == null ? null : ServerCertificates.load(serverSettings.tls());
        this.connector = new ServerConnector(server, connectionFactories(http, serverSettings, certificates));
        InetSocketAddress address = (InetSocketAddress) listening.getLocalAddress();
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        this.perClient = serverSettings.maxConnectionsPerClient() > 0
                ? new PerClientConnectionLimit(serverSettings.maxConnectionsPerClient(), faults) : null;
        if (perClient != null) connector.addEventListener(perClient);
        connector.open(listening);
        server.addConnector(connector);
        // telemetry (when on) observes the edge filters and each GraphQL request; off, neither is touched
        GraphQLHttpHandler graphql = new GraphQLHttpHandler(this.router, settings, serverSettings,
                telemetry.instrument(EdgeChain.of(policy)), faults, telemetry.requestObserver());
        // more routes (the BFF modules') between GraphQL and the 404: each answers its own paths, passes the others on
        graphql.setHandler(routes.apply(new NotFoundHandler()));
        // the explorer page (when on) in front of GraphQL and outside its telemetry: a page load is no GraphQL request
        this.graceful = new GracefulHandler(serverSettings.explorerEnabled() ? new ExplorerHandler(graphql) : graphql);
        this.readiness = new Readiness(this.router::get, serverSettings, policy.rateLimiter());
        // /health and /ready in front of the request path: answered at once, also while requests drain at shutdown
        server.setHandler(new StatusHandler(readiness, telemetry.metricsPath(), telemetry.metricsRoute(), graceful));
    }

    /**
     * What the listener speaks. Cleartext: HTTP/1.1, and with h2c HTTP/2 too (a client with prior knowledge sends the
     * HTTP/2 preface, another may ask by {@code Upgrade: h2c}). TLS: ALPN chooses h2 or HTTP/1.1 (a client that offers
     * neither, or no ALPN, gets HTTP/1.1).
     */
    private static ConnectionFactory[] connectionFactories(HttpConfiguration http, ServerSettings settings, ServerCertificates tls) {
        if (tls == null) {
            HttpConnectionFactory http11 = new HttpConnectionFactory(http);
            return settings.h2c() ? new ConnectionFactory[] {http11, new HTTP2CServerConnectionFactory(http)}
                    : new ConnectionFactory[] {http11};
        }
        // the request's scheme is https and its TLS session visible to handlers. No SNI host check: with one
        // certificate there is no other host to front, and it would refuse (400 "Invalid SNI") a request whose Host the
        // certificate does not name, such as a Kubernetes HTTPS probe to the pod's IP
        http.addCustomizer(new SecureRequestCustomizer(false));
        HttpConnectionFactory http11 = new HttpConnectionFactory(http);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
        // ALPN names (RFC 7301), not Jetty's "HTTP/1.1": a client that offers only http/1.1 must find it in the list
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol(http11.getProtocol());
        return new ConnectionFactory[] {new SslConnectionFactory(tls.factory(), alpn.getProtocol()), alpn, h2, http11};
    }

    /**
     * /health (liveness: the process is alive and serving; always 200 while it is) and /ready (readiness: 200 READY or
     * 503 NOT_READY with the reasons, see {@link Readiness}), the metrics when they are served on this port; every
     * other path goes on to GraphQL.
     */
    private static final class StatusHandler extends Handler.Wrapper {
        private final Readiness readiness;
        /** The metrics route on this port (null when metrics are off or on a port of their own) and its path. */
        private final Handler metrics;
        private final String metricsPath;

        StatusHandler(Readiness readiness, String metricsPath, Handler metrics, Handler next) {
            super(next);
            this.readiness = readiness;
            this.metrics = metrics;
            this.metricsPath = metricsPath;
            if (metrics != null) addBean(metrics); // started and stopped with the server
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            boolean health = path.equals("/health");
            if (!health && !path.equals("/ready")) {
                if (metrics != null && path.equals(metricsPath)) return metrics.handle(request, response, callback);
                return super.handle(request, response, callback);
            }
            if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                answer(response, callback, 405, ErrorBodies.messageOnly("use GET on " + path));
            } else if (health) {
                answer(response, callback, 200, JsonWriter.toBytes(Map.of("status", "UP")));
            } else {
                Readiness.Report report = readiness.report();
                answer(response, callback, report.ready() ? 200 : 503, JsonWriter.toBytes(report.body()));
            }
            return true;
        }
    }

    /** 404 for any path but /graphql, /health and /ready. */
    private static final class NotFoundHandler extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            answer(response, callback, 404, ErrorBodies.messageOnly("nothing is served at " + path + "; GraphQL is on " + GraphQLHttpHandler.PATH));
            return true;
        }
    }

    private static void answer(Response response, Callback callback, int status, byte[] body) {
        GraphQLHttpHandler.writeWhole(response, callback, status, "application/json", ByteBuffer.wrap(body));
    }

    /** Starts serving with the server's default settings and an open edge; port 0 picks a free port. */
    public static RouterServer start(Router router, RouterSettings settings, String host, int port) {
        return start(router, settings, EdgePolicy.open(), host, port);
    }

    /** Starts serving behind the edge policy (authentication, rate limits), with the server's default settings. */
    public static RouterServer start(Router router, RouterSettings settings, EdgePolicy policy, String host, int port) {
        return start(router, settings, ServerSettings.DEFAULTS, policy, host, port);
    }

    /** Starts serving with these server settings, behind the edge policy (the caller closes it). */
    public static RouterServer start(Router router, RouterSettings settings, ServerSettings server, EdgePolicy policy,
                                     String host, int port) {
        return start(router, settings, server, policy, listen(host, port));
    }

    /**
     * The router's listening socket, bound before anything else of the router is made: from then on the kernel
     * accepts connections into the queue, and a client that connects while the router starts (a load balancer's
     * retry, a rolling restart's first request) is answered as soon as the router is ready rather than refused and
     * left to its own retry delay (as with systemd's socket activation). A port in use is also reported at once, not
     * after the supergraph has loaded.
     */
    public static ServerSocketChannel listen(String host, int port) {
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(host, port), ACCEPT_QUEUE);
            return channel;
        } catch (BindException e) {
            closeQuietly(channel);
            throw new IllegalStateException("port " + port + " is already in use; choose another with --port N", e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Starts serving on a socket from {@link #listen}, with the server's default settings. */
    public static RouterServer start(Router router, RouterSettings settings, EdgePolicy policy, ServerSocketChannel listening) {
        return start(router, settings, ServerSettings.DEFAULTS, policy, listening);
    }

    /** Starts serving on a socket from {@link #listen}; closes it when the server cannot start. */
    public static RouterServer start(Router router, RouterSettings settings, ServerSettings serverSettings, EdgePolicy policy,
                                     ServerSocketChannel listening) {
        return start(router, settings, serverSettings, policy, listening, Telemetry.OFF, UnaryOperator.identity());
    }

    /** As above, with {@code telemetry} (metrics route, traces, access log) around the routes; the caller closes it. */
    public static RouterServer start(Router router, RouterSettings settings, ServerSettings serverSettings, EdgePolicy policy,
                                     ServerSocketChannel listening, Telemetry telemetry) {
        return start(router, settings, serverSettings, policy, listening, telemetry, UnaryOperator.identity());
    }

    /**
     * As above, with more routes: {@code routes} wraps the handler of unknown paths (404) in handlers that answer
     * their own paths and pass the others on (the BFF host's).
     */
    public static RouterServer start(Router router, RouterSettings settings, ServerSettings serverSettings, EdgePolicy policy,
                                     ServerSocketChannel listening, Telemetry telemetry, UnaryOperator<Handler> routes) {
        RouterServer server;
        try {
            server = new RouterServer(router, settings, serverSettings, policy, listening, telemetry, routes);
        } catch (IOException | RuntimeException e) {
            // (Readiness, made last in the constructor, has not started a thread when anything before it failed, and the
            // certificates are watched only once the server runs)
            closeQuietly(listening);
            throw new IllegalStateException("the HTTP server did not start: " + e.getMessage(), e);
        }
        try {
            server.server.start();
        } catch (Exception e) {
            server.readiness.close();
            stopQuietly(server.server);
            closeQuietly(listening);
            throw new IllegalStateException("the HTTP server did not start on port " + server.port() + ": " + e.getMessage(), e);
        }
        if (server.certificates != null) server.certificates.startWatching();
        return server;
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was served on it
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    public Router router() {
        return router.get();
    }

    /** The listener's certificates (the one served, reloads); null when it serves cleartext. */
    public ServerCertificates certificates() {
        return certificates;
    }

    /** Serves every new request with {@code next}; returns the previous router (requests in flight keep using it). */
    public Router replaceRouter(Router next) {
        return router.getAndSet(next);
    }

    /** Client misbehaviour seen so far (aborted and idle bodies, connections over the per-client limit). */
    public ClientFaults clientFaults() {
        return faults;
    }

    /**
     * Graceful shutdown, for SIGTERM: /ready answers 503 at once; the listener goes on serving for {@code delay}
     * (load balancers and Kubernetes endpoints take seconds to stop sending); then it stops accepting, idle
     * connections are closed, and requests in flight may finish for up to {@code gracePeriod}; then the server stops.
     *
     * @return the requests still running when the grace period ended (0: every one was answered)
     */
    public long shutDownGracefully(Duration delay, Duration gracePeriod) throws InterruptedException {
        readiness.shuttingDown();
        if (delay.isPositive()) Thread.sleep(delay);
        long unfinished = 0;
        try {
            // the connector stops accepting and GracefulHandler answers 503 to requests that still come on open
            // connections; the future completes when no request is in flight and every connection has closed
            Graceful.shutdown(server).get(gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            unfinished = graceful.getCurrentRequestCount();
        } catch (ExecutionException e) {
            LOG.warn("the graceful shutdown failed ({}); stopping now", e.getCause().toString());
        }
        close();
        return unfinished;
    }

    /** Whether a shutdown has begun (/ready then answers 503). */
    public boolean isShuttingDown() {
        return readiness.isShuttingDown();
    }

    /** Stops at once: connections close, requests in flight are cut off (see {@link #shutDownGracefully}). */
    @Override
    public void close() {
        readiness.close();
        if (certificates != null) certificates.close();
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("the HTTP server did not stop cleanly", e);
        }
    }
}
