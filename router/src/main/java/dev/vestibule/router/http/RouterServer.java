package dev.vestibule.router.http;

import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.json.JsonWriter;
import dev.vestibule.router.middleware.EdgePolicy;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The router's HTTP server: Jetty, everything on virtual threads. GraphQL on /graphql
 * ({@link GraphQLHttpHandler}), /health (alive) and /ready (a supergraph is loaded) ({@link StatusHandler}).
 * The router can be replaced while serving (hot reload): each request reads it once and keeps the one it got.
 *
 * <p>Why plain Jetty rather than Javalin: the router serves three fixed paths, and Javalin's servlet stack (a
 * servlet context, sessions, WebSocket initialisers) was a third of the router's start-up on one core, and more
 * than the router's own work per request on the hot path (see GraphQLHttpHandler); docs/performance.md has the figures.
 */
public final class RouterServer implements AutoCloseable {
    /** In development mode, this request header set to true puts the query plan in the response's extensions. */
    public static final String PLAN_HEADER = "x-vestibule-query-plan";
    /**
     * Pending connections the listening socket queues before accepting them. The JDK's default is 50: a burst of a few
     * hundred clients connecting at once (a deploy, a reconnecting fleet) then sees connection resets.
     */
    static final int ACCEPT_QUEUE = 4096;

    private final AtomicReference<Router> router;
    private final Server server;
    private final ServerConnector connector;

    private RouterServer(Router router, RouterSettings settings, EdgePolicy policy, ServerSocketChannel listening) throws IOException {
        this.router = new AtomicReference<>(router);
        // every task on a virtual thread, the selector and acceptor too: on one core, platform-thread selectors handing
        // requests to virtual threads served 15-30 % fewer requests per second (A/B, docs/performance.md)
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("vestibule-http");
        // the executor Jetty would make (a virtual thread per task), made here: Jetty finds Thread.ofVirtual() and the
        // builder's methods by reflection as it starts, and the HTTP server started in 104 instead of 129 ms (mean of
        // 10 alternating starts on one core, docs/performance.md)
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vestibule-http-", 0).factory()));
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        InetSocketAddress address = (InetSocketAddress) listening.getLocalAddress();
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        connector.open(listening);
        server.addConnector(connector);
        GraphQLHttpHandler graphql = new GraphQLHttpHandler(this.router, settings, policy);
        graphql.setHandler(new StatusHandler());
        server.setHandler(graphql);
    }

    /** /health and /ready; 404 for any other path. */
    private static final class StatusHandler extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            String status = switch (path) {
                case "/health" -> "UP";
                case "/ready" -> "READY";
                default -> null;
            };
            if (status == null) {
                answer(response, callback, 404, Map.of("errors", List.of(Map.of("message",
                        "nothing is served at " + path + "; GraphQL is on " + GraphQLHttpHandler.PATH))));
            } else if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                answer(response, callback, 405, Map.of("errors", List.of(Map.of("message", "use GET on " + path))));
            } else {
                answer(response, callback, 200, Map.of("status", status));
            }
            return true;
        }

        private static void answer(Response response, Callback callback, int status, Map<String, Object> body) {
            GraphQLHttpHandler.writeWhole(response, callback, status, "application/json", ByteBuffer.wrap(JsonWriter.toBytes(body)));
        }
    }

    /** Starts serving; port 0 picks a free port. */
    public static RouterServer start(Router router, RouterSettings settings, String host, int port) {
        return start(router, settings, EdgePolicy.open(), host, port);
    }

    /** Starts serving behind the edge policy (authentication, rate limits). */
    public static RouterServer start(Router router, RouterSettings settings, EdgePolicy policy, String host, int port) {
        return start(router, settings, policy, listen(host, port));
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

    /** Starts serving on a socket from {@link #listen}; closes it when the server cannot start. */
    public static RouterServer start(Router router, RouterSettings settings, EdgePolicy policy, ServerSocketChannel listening) {
        RouterServer server;
        try {
            server = new RouterServer(router, settings, policy, listening);
        } catch (IOException | RuntimeException e) {
            closeQuietly(listening);
            throw new IllegalStateException("the HTTP server did not start: " + e.getMessage(), e);
        }
        try {
            server.server.start();
        } catch (Exception e) {
            stopQuietly(server.server);
            closeQuietly(listening);
            throw new IllegalStateException("the HTTP server did not start on port " + server.port() + ": " + e.getMessage(), e);
        }
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

    /** Serves every new request with {@code next}; returns the previous router (requests in flight keep using it). */
    public Router replaceRouter(Router next) {
        return router.getAndSet(next);
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(RouterServer.class).warn("the HTTP server did not stop cleanly", e);
        }
    }
}
