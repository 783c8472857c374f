package dev.vestibule.router.bff;

import dev.vestibule.router.Gateway;
import dev.vestibule.router.http.ServerSettings;
import dev.vestibule.router.middleware.CsrfFilter;
import dev.vestibule.router.middleware.EdgeChain;
import dev.vestibule.router.middleware.EdgeFilter;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.router.middleware.EdgeRequest;
import dev.vestibule.router.middleware.Decision;
import dev.vestibule.router.middleware.RateLimitSettings;
import dev.vestibule.router.middleware.RateLimiter;
import dev.vestibule.router.operation.BoundedCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts BFF modules in the router's process: mounts each module's routes under its prefix in the router's HTTP server
 * ({@link #handler}), runs every request through the router's edge filters (authentication, rate limits, header
 * rules, CORS; CSRF on state-changing routes) and then the route's operation through the engine's entry point
 * ({@link Gateway#execute}: no HTTP hop), under the route's policy. Each module has its own concurrency bound,
 * deadlines and counters; an exception in its code answers that route with a problem body and touches nothing else.
 *
 * <p>Every operation is prepared when a supergraph loads ({@link #check}): at start, a module whose operation the
 * supergraph cannot serve stops the start; on a reload, the new supergraph is refused and the old one keeps serving.
 */
public final class BffHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BffHost.class);
    /** Good answers kept per route for the fallback policy (by request and caller). */
    static final int LAST_GOOD_ENTRIES = 10_000;

    final List<MountedModule> modules;
    final EdgeChain chain;
    final OperationExecutor executor;
    final ServerSettings server;
    final Duration requestTimeout;

    /** A module as mounted: its routes with their templates, its bulkhead, counters and OpenAPI document. */
    record MountedModule(BffModule module, String prefix, List<MountedRoute> routes, Semaphore permits, BffStats stats,
                         byte[] openApi) {}

    /** A route as mounted: its template, effective deadline, own rate limiter and last good answers. */
    record MountedRoute(BffRoute<?, ?, ?> route, PathTemplate template, Duration deadline, RateLimiter limiter,
                        BoundedCache<String, LastGood> lastGood) {}

    /** A good answer kept for the fallback policy. */
    record LastGood(byte[] body, long atMillis) {}

    private BffHost(List<MountedModule> modules, EdgeChain chain, OperationExecutor executor, ServerSettings server,
                    Duration requestTimeout) {
        this.modules = modules;
        this.chain = chain;
        this.executor = executor;
        this.server = server;
        this.requestTimeout = requestTimeout;
    }

    /** The modules on the class path ({@code META-INF/services/dev.vestibule.router.bff.BffModule}). */
    public static List<BffModule> discover(ClassLoader loader) {
        List<BffModule> found = new ArrayList<>();
        ServiceLoader.load(BffModule.class, loader).forEach(found::add);
        return found;
    }

    /**
     * Mounts {@code modules} behind the router's edge {@code policy}, running their operations on whatever gateway
     * {@code gateway} gives at the time of each request (hot reload swaps it).
     *
     * @param rateLimits the router's rate-limit settings: a route's own limit keeps its buckets where the router's
     *                   are (this process, or Redis)
     * @throws IllegalArgumentException when two modules share a prefix or a route is malformed
     */
    public static BffHost mount(List<BffModule> modules, EdgePolicy policy, Supplier<? extends Gateway> gateway,
                                ServerSettings server, Duration requestTimeout, RateLimitSettings rateLimits) {
        return mount(modules, policy, OperationExecutor.inProcess(gateway), server, requestTimeout, rateLimits);
    }

    /**
     * Mounts {@code modules} behind the edge {@code policy}, running their operations with {@code executor} (in
     * process, or over HTTP to a router for a standalone BFF).
     */
    public static BffHost mount(List<BffModule> modules, EdgePolicy policy, OperationExecutor executor,
                                ServerSettings server, Duration requestTimeout, RateLimitSettings rateLimits) {
        List<MountedModule> mounted = new ArrayList<>();
        Map<String, String> prefixes = new LinkedHashMap<>();
        for (BffModule module : modules) {
            String prefix = module.prefix();
            PathTemplate.parse(prefix); // a well-formed path
            for (String taken : prefixes.keySet()) {
                if (prefix.equals(taken) || prefix.startsWith(taken + "/") || taken.startsWith(prefix + "/")) {
                    throw new IllegalArgumentException("BFF modules '" + prefixes.get(taken) + "' and '" + module.client()
                            + "' share the path prefix " + prefix + "; give one another prefix()");
                }
            }
            if (prefix.equals("/graphql") || prefix.equals("/health") || prefix.equals("/ready")) {
                throw new IllegalArgumentException("BFF module '" + module.client() + "': " + prefix + " is the router's own path");
            }
            prefixes.put(prefix, module.client());
            if (module.maxConcurrency() < 1) throw new IllegalArgumentException("BFF module '" + module.client() + "': maxConcurrency must be at least 1");
            Duration moduleDeadline = clamp(module.client(), "its deadline()", module.deadline(), requestTimeout);
            List<MountedRoute> routes = new ArrayList<>();
            for (BffRoute<?, ?, ?> route : module.routes()) {
                if (!route.path().equals(prefix) && !route.path().startsWith(prefix + "/")) {
                    throw new IllegalArgumentException("BFF module '" + module.client() + "': the route " + route.path()
                            + " is not under the module's prefix " + prefix);
                }
                for (MountedRoute other : routes) {
                    if (other.route().method().equals(route.method()) && other.route().path().equals(route.path())) {
                        throw new IllegalArgumentException("BFF module '" + module.client() + "' declares " + route.method() + " " + route.path() + " twice");
                    }
                }
                Duration deadline = route.policy().deadline() == null ? moduleDeadline
                        : clamp(module.client(), route.method() + " " + route.path() + "'s deadline", route.policy().deadline(), requestTimeout);
                RateLimiter limiter = route.policy().rateLimit() == null ? null : routeLimiter(module, route, rateLimits);
                BoundedCache<String, LastGood> lastGood = route.policy().failure() == RoutePolicy.Failure.FALLBACK
                        ? new BoundedCache<>(LAST_GOOD_ENTRIES) : null;
                routes.add(new MountedRoute(route, PathTemplate.parse(route.path()), deadline, limiter, lastGood));
            }
            mounted.add(new MountedModule(module, prefix, List.copyOf(routes), new Semaphore(module.maxConcurrency()),
                    new BffStats(), OpenApi.document(module)));
        }
        return new BffHost(List.copyOf(mounted), bffChain(policy), executor, server, requestTimeout);
    }

    /** A deadline longer than the router's request timeout is cut to it: the router would abandon the request then. */
    private static Duration clamp(String client, String what, Duration deadline, Duration requestTimeout) {
        if (deadline.compareTo(requestTimeout) <= 0) return deadline;
        LOG.warn("BFF module '{}': {} ({}) is longer than router.request_timeout ({}); using {}", client, what, deadline, requestTimeout, requestTimeout);
        return requestTimeout;
    }

    /** The route's own bucket, where the router keeps its buckets (this process or Redis). */
    private static RateLimiter routeLimiter(BffModule module, BffRoute<?, ?, ?> route, RateLimitSettings router) {
        RoutePolicy.RateLimitPlan plan = route.policy().rateLimit();
        RateLimitSettings.Rule rule = new RateLimitSettings.Rule("bff:" + module.client() + ":" + route.method() + ":" + route.path(),
                plan.key(), new RateLimitSettings.Limit(plan.limit(), plan.per(), plan.burst()), Map.of());
        boolean redis = router.backend() == RateLimitSettings.Backend.REDIS;
        return new RateLimiter(new RateLimitSettings(router.backend(), redis ? router.redisUrl() : null, router.redisTimeout(),
                router.failOpen(), router.trustedProxies(), List.of(rule), router.localPrefilter()));
    }

    /**
     * The router's edge chain, the same filter instances in the same order, except that CSRF prevention applies to
     * state-changing methods only: a BFF GET is a read a browser app makes with plain fetch() (no preflight-forcing
     * header), and answers nothing a cross-site page can read (CORS). Session modules add their CSRF token check.
     */
    private static EdgeChain bffChain(EdgePolicy policy) {
        List<EdgeFilter> filters = new ArrayList<>();
        for (EdgeFilter filter : EdgeChain.of(policy).filters()) {
            filters.add(filter instanceof CsrfFilter csrf ? new StateChangingOnly(csrf) : filter);
        }
        return new EdgeChain(filters);
    }

    private record StateChangingOnly(EdgeFilter filter) implements EdgeFilter {
        @Override
        public Phase phase() {
            return filter.phase();
        }

        @Override
        public Decision apply(EdgeRequest request) {
            String method = request.method();
            return method.equals("GET") || method.equals("HEAD") ? Decision.CONTINUE : filter.apply(request);
        }
    }

    /**
     * Prepares every module's operations on {@code candidate}, in the order declared.
     *
     * @throws BffCheckException naming each module and operation the candidate's supergraph cannot serve, and why
     */
    public void check(Gateway candidate) {
        List<String> broken = new ArrayList<>();
        for (MountedModule module : modules) {
            List<String> seen = new ArrayList<>();
            for (MountedRoute route : module.routes()) {
                BffOperation<?, ?> operation = route.route().operation();
                if (seen.contains(operation.name())) continue;
                seen.add(operation.name());
                String problem = OperationCheck.problem(candidate, operation);
                if (problem != null) broken.add("BFF module '" + module.module().client() + "', operation " + operation.name() + ": " + problem);
            }
        }
        if (!broken.isEmpty()) throw new BffCheckException(broken);
    }

    /** The supergraph breaks BFF operations: one line per module and operation. */
    public static final class BffCheckException extends RuntimeException {
        private final List<String> problems;

        BffCheckException(List<String> problems) {
            super("the supergraph breaks " + problems.size() + " BFF operation(s): " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /** The Jetty handler that serves the modules' prefixes, passing any other path to {@code next}. */
    public Handler.Wrapper handler(Handler next) {
        return new BffHandler(this, next);
    }

    /** The mounted modules' client names, in mount order. */
    public List<String> clients() {
        return modules.stream().map(m -> m.module().client()).toList();
    }

    /** What a module's routes did since start; null for an unknown client. */
    public BffStats.Snapshot stats(String client) {
        return modules.stream().filter(m -> m.module().client().equals(client)).findFirst().map(m -> m.stats().snapshot()).orElse(null);
    }

    @Override
    public void close() {
        for (MountedModule module : modules) {
            for (MountedRoute route : module.routes()) {
                if (route.limiter() != null) route.limiter().close();
            }
        }
    }
}
