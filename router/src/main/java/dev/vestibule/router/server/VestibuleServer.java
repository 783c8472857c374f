package dev.vestibule.router.server;

import dev.vestibule.router.Router;
import dev.vestibule.router.bff.BffHost;
import dev.vestibule.router.bff.BffModule;
import dev.vestibule.router.config.ConfigException;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.files.WatchedFiles;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.http.ServerSettings;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.router.pipeline.GatewayObserver;
import dev.vestibule.router.subgraph.SubgraphConnections;
import dev.vestibule.router.subgraph.traffic.TrafficPolicy;
import dev.vestibule.router.subgraph.traffic.TrafficShaping;
import dev.vestibule.router.supergraph.Subgraph;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.SupergraphReloader;
import dev.vestibule.router.telemetry.Telemetry;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway, built from its config: it owns every resource it starts and closes each one once, on shutdown
 * or when a reload retires it. The edge policy (and through it the Redis clients of rate limits and persisted queries
 * and the JWKS refreshers), the router and every router a hot reload swaps in, the HTTP server (with its readiness
 * checks), the reloader. The CLI parses arguments and handles signals; embedders (tests, the coming BFF host) start
 * the same object instead of copying the wiring.
 */
public final class VestibuleServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VestibuleServer.class);
    private final RouterConfig config;
    /** traffic_shaping as last reloaded (the config's at start). */
    private volatile TrafficShaping trafficShaping;
    private final List<Thread> trafficWatchers = new CopyOnWriteArrayList<>();
    private final EdgePolicy policy;
    private final RouterServer server;
    /** The routers not closed yet: the one serving, and those a reload replaced whose requests may still run. */
    private final Set<Router> routers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long routerReadyNanos;
    private final long listeningNanos;
    private volatile SupergraphReloader reloader;
    /** What every router this server makes reports its stages to (telemetry; tests count with it). */
    private final GatewayObserver observer;
    /** Metrics, traces, access log (telemetry.*): closed last, so that what the last requests recorded is written. */
    private final Telemetry telemetry;
    /** The BFF modules mounted in this server; null when there are none. */
    private final BffHost bff;

    private VestibuleServer(RouterConfig config, GatewayObserver observer, Telemetry telemetry, EdgePolicy policy, Router router,
                            RouterServer server, long routerReadyNanos, BffHost bff) {
        this.config = config;
        this.trafficShaping = config.settings().trafficShaping();
        this.bff = bff;
        this.observer = observer;
        this.telemetry = telemetry;
        this.policy = policy;
        this.server = server;
        this.routers.add(router);
        this.routerReadyNanos = routerReadyNanos;
        this.listeningNanos = System.nanoTime();
    }

    /** Starts serving {@code supergraph} as {@code config} says on {@code host:port} (0: a free port). */
    public static VestibuleServer start(Supergraph supergraph, RouterConfig config, String host, int port) {
        return start(supergraph, config, GatewayObserver.NONE, RouterServer.listen(host, port));
    }

    /** As above, every router reporting to {@code observer}. */
    public static VestibuleServer start(Supergraph supergraph, RouterConfig config, GatewayObserver observer, String host, int port) {
        return start(supergraph, config, observer, RouterServer.listen(host, port));
    }

    /**
     * Starts serving on a socket from {@link RouterServer#listen}. The supergraph is checked against the config first
     * (unknown @policy names, required subgraphs it lacks); whatever fails, everything made so far is closed, the
     * socket too (clients queued on it are refused rather than left waiting for a router that is not coming).
     */
    public static VestibuleServer start(Supergraph supergraph, RouterConfig config, ServerSocketChannel listening) {
        return start(supergraph, config, GatewayObserver.NONE, listening);
    }

    /**
     * As above, every router reporting to {@code observer}, with the BFF modules on the class path that the config's
     * {@code bff} section selects.
     */
    public static VestibuleServer start(Supergraph supergraph, RouterConfig config, GatewayObserver observer,
                                        ServerSocketChannel listening) {
        List<BffModule> modules;
        try {
            modules = config.bff().select(BffHost.discover(VestibuleServer.class.getClassLoader()));
        } catch (IllegalArgumentException e) {
            closeQuietly(listening);
            throw new ConfigException(e.getMessage());
        }
        return start(supergraph, config, observer, listening, modules);
    }

    /**
     * As above, with these BFF modules mounted (embedders and tests choose them; none: only GraphQL). Each module's
     * operations are prepared on the supergraph first: one it cannot serve stops the start, naming module and operation.
     */
    public static VestibuleServer start(Supergraph supergraph, RouterConfig config, GatewayObserver observer,
                                        ServerSocketChannel listening, List<BffModule> modules) {
        Router router = null;
        EdgePolicy policy = null;
        Telemetry telemetry = null;
        BffHost bff = null;
        try {
            // a @policy the config does not define denies its fields to everyone: said now, or refused (unknown_policies)
            config.authorization().check(supergraph);
            checkRequiredSubgraphs(config.server(), supergraph);
            checkShapedSubgraphs(config, supergraph);
            checkSubgraphConnections(config, supergraph);
            telemetry = Telemetry.start(config.telemetry());
            GatewayObserver observed = telemetry.observer(observer);
            router = new Router(supergraph, config.settings(), observed);
            long routerReady = System.nanoTime();
            policy = config.edgePolicy();
            AtomicReference<RouterServer> serving = new AtomicReference<>();
            if (!modules.isEmpty()) {
                bff = BffHost.mount(modules, policy, () -> serving.get().router(), config.server(), config.settings().requestTimeout(),
                        config.rateLimits());
                bff.check(router);
            }
            BffHost host = bff;
            RouterServer server = RouterServer.start(router, config.settings(), config.server(), policy, listening, telemetry,
                    host == null ? UnaryOperator.identity() : host::handler);
            serving.set(server);
            VestibuleServer started = new VestibuleServer(config, observed, telemetry, policy, router, server, routerReady, bff);
            telemetry.planCacheSize(() -> started.router().planCacheSize());
            telemetry.trafficState(() -> started.router().traffic());
            return started;
        } catch (RuntimeException | Error e) {
            if (bff != null) bff.close();
            if (policy != null) policy.close();
            if (router != null) router.close();
            if (telemetry != null) telemetry.close();
            try {
                listening.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** A subgraph with a traffic policy of its own must be one the supergraph has: a typo would silently drop it. */
    private static void checkShapedSubgraphs(RouterConfig config, Supergraph supergraph) {
        checkShaped(config.settings().trafficShaping(), supergraph);
    }

    private static void checkShaped(TrafficShaping shaping, Supergraph supergraph) {
        List<String> names = supergraph.subgraphs().stream().map(Subgraph::name).toList();
        for (String unknown : shaping.unknown(Set.copyOf(names))) {
            throw new ConfigException("traffic_shaping.subgraphs." + unknown + ": the supergraph has no subgraph '" + unknown
                    + "' (it has " + String.join(", ", names) + ")");
        }
    }

    /**
     * Connection settings must name subgraphs the supergraph has, and h2c with prior knowledge needs http:// URLs (over
     * https the subgraph chooses by ALPN: {@code negotiate}).
     */
    private static void checkSubgraphConnections(RouterConfig config, Supergraph supergraph) {
        SubgraphConnections connections = config.settings().subgraphConnections();
        List<String> names = supergraph.subgraphs().stream().map(Subgraph::name).toList();
        for (String unknown : connections.unknown(Set.copyOf(names))) {
            throw new ConfigException("subgraph_connections.subgraphs." + unknown + ": the supergraph has no subgraph '" + unknown
                    + "' (it has " + String.join(", ", names) + ")");
        }
        for (Subgraph subgraph : supergraph.subgraphs()) {
            if (connections.of(subgraph.name()).http2() != SubgraphConnections.Http2.PRIOR_KNOWLEDGE) continue;
            List<String> urls = new ArrayList<>(List.of(subgraph.url()));
            TrafficPolicy policy = config.settings().trafficShaping().subgraphs().get(subgraph.name());
            if (policy != null) urls.addAll(policy.urls());
            for (String url : urls) {
                if (url.regionMatches(true, 0, "https:", 0, 6)) {
                    String key = connections.subgraphs().containsKey(subgraph.name()) ? "subgraphs." + subgraph.name() : "all";
                    throw new ConfigException("subgraph_connections." + key + ".http2: prior_knowledge is h2 over cleartext, but subgraph '"
                            + subgraph.name() + "' is reached at " + url + " (use negotiate: over https the subgraph chooses h2 by ALPN)");
                }
            }
        }
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was served on it
        }
    }

    /** A subgraph that readiness requires must be one the supergraph has: a typo would keep the router unready. */
    private static void checkRequiredSubgraphs(ServerSettings serving, Supergraph supergraph) {
        List<String> names = supergraph.subgraphs().stream().map(Subgraph::name).toList();
        for (String required : serving.requiredSubgraphs()) {
            if (!required.equals("*") && !names.contains(required)) {
                throw new ConfigException("server.readiness.required_subgraphs: the supergraph has no subgraph '"
                        + required + "' (it has " + String.join(", ", names) + "; * means every one)");
            }
        }
    }

    /**
     * Hot reload: watches {@code files} and, when one changes, serves what {@code loader} makes of them
     * ({@link #replace}); a broken change goes to {@code failed} and the running router keeps serving.
     */
    public void reloadOnChange(List<Path> files, SupergraphReloader.Loader loader, Consumer<Supergraph> reloaded,
                               Consumer<String> failed) {
        if (reloader != null) throw new IllegalStateException("hot reload is already on");
        reloader = new SupergraphReloader(files, loader, next -> {
            replace(next); // a refusal goes to the failure callback below (the reloader catches it)
            telemetry.reloaded(true);
            reloaded.accept(next);
        }, problem -> {
            telemetry.reloaded(false);
            failed.accept(problem);
        }).start(Duration.ofSeconds(1));
    }

    /**
     * Serves {@code next} from now on, checked against the configured policies first (it may be refused: then the
     * running router keeps serving), with the operations served most recently planned on it before the atomic swap
     * (router.reload_warm_plans). The previous router is closed once its requests can no longer be running
     * (router.request_timeout later), or at shutdown, whichever comes first.
     */
    public synchronized void replace(Supergraph next) {
        config.authorization().check(next);
        checkShaped(trafficShaping, next);
        Router fresh = new Router(next, config.settings().toBuilder().trafficShaping(trafficShaping).build(), observer);
        if (bff != null) {
            try {
                bff.check(fresh); // a supergraph that breaks a BFF operation is refused: the old one keeps serving
            } catch (RuntimeException e) {
                fresh.close();
                LOG.error("supergraph reload refused: {}", e.getMessage());
                throw e;
            }
        }
        // the operations in use are planned on the new supergraph here, on the reloading thread, while the previous
        // router serves: after the swap they find their plans cached instead of planning on the request path
        long planning = System.nanoTime();
        int planned = fresh.planAgain(router(), config.settings().reloadWarmPlans());
        if (planned > 0) LOG.info("planned {} operations on the new supergraph before serving it, in {} ms", planned, (System.nanoTime() - planning) / 1_000_000);
        routers.add(fresh);
        Router previous = server.replaceRouter(fresh);
        if (closed.get()) retire(fresh); // shut down while this one was being built
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(config.settings().requestTimeout());
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            retire(previous);
        });
    }

    /**
     * Serves with {@code next} traffic shaping from now on (canary weights and instances, shadows, pools, retries,
     * breakers, health checks): a new router on the same supergraph, swapped in like a reloaded supergraph. The
     * mechanisms start afresh (breakers closed, instances in); {@code traffic_shaping.callers} (headers, claims, labels)
     * comes with the new router.
     */
    public synchronized void reshapeTraffic(TrafficShaping next) {
        checkShaped(next, router().supergraph());
        TrafficShaping previous = trafficShaping;
        trafficShaping = next;
        try {
            replace(router().supergraph());
        } catch (RuntimeException e) {
            trafficShaping = previous;
            throw e;
        }
    }

    /**
     * Hot reload of {@code traffic_shaping}: {@code configFile} is read again ({@code load}) when it changes (checked every
     * {@code interval}), and a changed {@code traffic_shaping} section is applied ({@link #reshapeTraffic}); other
     * sections need a restart (said on {@code failed}), and a config that does not load leaves the running one.
     */
    public void reshapeTrafficOnChange(Path configFile, Supplier<RouterConfig> load, Duration interval, Consumer<String> reshaped,
                                      Consumer<String> failed) {
        // the file's content when asked, not when the thread first runs: a change written right after this call counts
        WatchedFiles watched = new WatchedFiles(List.of(configFile));
        Thread watcher = Thread.ofVirtual().name("vestibule-traffic-reload").start(() -> {
            while (!closed.get()) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                if (!watched.changedAndSettled()) continue;
                try {
                    TrafficShaping next = load.get().settings().trafficShaping();
                    if (next.equals(trafficShaping)) continue;
                    reshapeTraffic(next);
                    reshaped.accept("traffic_shaping reloaded from " + configFile);
                } catch (RuntimeException e) {
                    failed.accept("traffic_shaping in " + configFile + " not reloaded, the previous one keeps serving: " + e.getMessage());
                }
            }
        });
        trafficWatchers.add(watcher);
    }

    private void retire(Router router) {
        if (routers.remove(router)) router.close();
    }

    public RouterConfig config() {
        return config;
    }

    /** The router serving new requests. */
    public Router router() {
        return server.router();
    }

    /** The BFF modules' host; null when no module is mounted. */
    public BffHost bff() {
        return bff;
    }

    public RouterServer httpServer() {
        return server;
    }

    public int port() {
        return server.port();
    }

    /** When the router was built and when the HTTP server listened (System.nanoTime), for the start-up line. */
    public long routerReadyNanos() {
        return routerReadyNanos;
    }

    public long listeningNanos() {
        return listeningNanos;
    }

    /**
     * Graceful shutdown ({@link RouterServer#shutDownGracefully}: /ready 503, serve for {@code delay}, then let requests
     * in flight finish for up to {@code gracePeriod}), then every resource is closed.
     *
     * @return the requests still running when the grace period ended (0: every one was answered)
     */
    public long shutDownGracefully(Duration delay, Duration gracePeriod) throws InterruptedException {
        stopReloading();
        try {
            return server.shutDownGracefully(delay, gracePeriod);
        } finally {
            closeResources();
        }
    }

    /** Stops at once: connections close, requests in flight are cut off; every resource is closed. */
    @Override
    public void close() {
        if (closed.get()) return;
        stopReloading();
        server.close();
        closeResources();
    }

    private void stopReloading() {
        SupergraphReloader running = reloader;
        if (running != null) running.close();
        trafficWatchers.forEach(Thread::interrupt);
    }

    private void closeResources() {
        if (!closed.compareAndSet(false, true)) return;
        routers.forEach(this::retire);
        if (bff != null) bff.close();
        policy.close();
        telemetry.close();
    }

    /** The telemetry this server runs with ({@link Telemetry#OFF} when the config turns none on). */
    public Telemetry telemetry() {
        return telemetry;
    }
}
