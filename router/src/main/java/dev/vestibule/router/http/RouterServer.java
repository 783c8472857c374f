package dev.vestibule.router.http;

import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.middleware.EdgePolicy;
import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The router's HTTP server (Jetty through Javalin, on virtual threads): GraphQL on /graphql
 * ({@link GraphQLHttpHandler}, in front of Javalin), /health (alive) and /ready (a supergraph is loaded) as Javalin
 * routes. The router can be replaced while serving (hot reload): each request reads it once and keeps the one it got.
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
    private final Javalin app;

    private RouterServer(Router router, RouterSettings settings, EdgePolicy policy, String host, int port) {
        this.router = new AtomicReference<>(router);
        GraphQLHttpHandler graphql = new GraphQLHttpHandler(this.router, settings, policy);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = settings.maxBodyBytes();
            // Javalin mounts its servlet context inside the handler it finds: /graphql is answered before it
            cfg.jetty.modifyServer(server -> server.setHandler(graphql));
            cfg.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(host);
                connector.setPort(port);
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                return connector;
            });
            cfg.routes.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
            cfg.routes.get("/ready", ctx -> ctx.json(Map.of("status", "READY")));
        });
    }

    /** Starts serving; port 0 picks a free port. */
    public static RouterServer start(Router router, RouterSettings settings, String host, int port) {
        return start(router, settings, EdgePolicy.open(), host, port);
    }

    /** Starts serving behind the edge policy (authentication, rate limits). */
    public static RouterServer start(Router router, RouterSettings settings, EdgePolicy policy, String host, int port) {
        RouterServer server = new RouterServer(router, settings, policy, host, port);
        try {
            server.app.start();
        } catch (JavalinBindException e) {
            throw new IllegalStateException("port " + port + " is already in use; choose another with --port N", e);
        }
        return server;
    }

    public int port() {
        return app.port();
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
        app.stop();
    }
}
