package dev.vestibule.router.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.RequestError;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * GraphQL over HTTP for the router (Javalin, virtual threads): POST with a JSON body, GET for queries only,
 * application/graphql-response+json or application/json by the Accept header with the status codes of the
 * GraphQL-over-HTTP spec, a body size limit, and /health and /ready.
 */
public final class RouterServer implements AutoCloseable {
    static final String GRAPHQL_RESPONSE = "application/graphql-response+json";
    private static final String GRAPHQL_RESPONSE_UTF8 = GRAPHQL_RESPONSE + "; charset=utf-8";
    private static final String JSON_UTF8 = "application/json; charset=utf-8";
    /** In development mode, this request header set to true puts the query plan in the response's extensions. */
    public static final String PLAN_HEADER = "x-vestibule-query-plan";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RouterServer.class);
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};

    /** Replaced as a whole on reload; each request reads it once and keeps the router it got. */
    private final java.util.concurrent.atomic.AtomicReference<Router> router;
    private final RouterSettings settings;
    private final dev.vestibule.router.middleware.EdgePolicy policy;
    private final Javalin app;
    /** Identical client queries in flight share one execution (when router.deduplication.inbound_queries is on). */
    private final dev.vestibule.router.concurrent.SharedCalls<InboundKey, Answer> inbound = new dev.vestibule.router.concurrent.SharedCalls<>();

    /**
     * Pending connections the listening socket queues before accepting them. The JDK's default is 50: a burst of a few
     * hundred clients connecting at once (a deploy, a reconnecting fleet) then sees connection resets.
     */
    static final int ACCEPT_QUEUE = 4096;

    private RouterServer(Router router, RouterSettings settings, dev.vestibule.router.middleware.EdgePolicy policy,
                         String host, int port) {
        this.router = new java.util.concurrent.atomic.AtomicReference<>(router);
        this.settings = settings;
        this.policy = policy;
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.jetty.addConnector((server, http) -> {
                org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(server,
                        new org.eclipse.jetty.server.HttpConnectionFactory(http));
                connector.setHost(host);
                connector.setPort(port);
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                return connector;
            });
            cfg.http.maxRequestSize = settings.maxBodyBytes();
            cfg.routes.post("/graphql", this::post);
            cfg.routes.get("/graphql", this::get);
            cfg.routes.options("/graphql", this::preflight);
            cfg.routes.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
            cfg.routes.get("/ready", ctx -> ctx.json(Map.of("status", "READY")));
        });
    }

    /** Starts serving; port 0 picks a free port. */
    public static RouterServer start(Router router, RouterSettings settings, String host, int port) {
        return start(router, settings, dev.vestibule.router.middleware.EdgePolicy.open(), host, port);
    }

    /** Starts serving behind the edge policy (authentication, rate limits). */
    public static RouterServer start(Router router, RouterSettings settings, dev.vestibule.router.middleware.EdgePolicy policy,
                                     String host, int port) {
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

    private void post(Context ctx) throws IOException {
        Map<String, String> identityHeaders = admit(ctx);
        if (identityHeaders == null) return;
        if (ctx.contentLength() > settings.maxBodyBytes()) {
            reject(ctx, 413, "the request body is larger than " + settings.maxBodyBytes() + " bytes", "PAYLOAD_TOO_LARGE");
            return;
        }
        Map<String, Object> body;
        try {
            body = JSON.readValue(ctx.bodyAsBytes(), JSON_OBJECT);
        } catch (IOException e) {
            reject(ctx, 400, "the request body is not a JSON object: " + firstLine(e.getMessage()), "BAD_REQUEST");
            return;
        }
        GraphQLRequest request;
        try {
            request = policy.persistedQueries().resolve(
                    requestOf(body.get("query"), body.get("operationName"), body.get("variables"), body.get("extensions")));
        } catch (RequestError e) {
            respond(ctx, e.status(), Map.of("errors", e.errors()), true);
            return;
        }
        run(ctx, router.get(), request, identityHeaders);
    }

    /**
     * The edge policy's verdict: the headers subgraphs get for this caller, or null once a refusal has been sent (it
     * never reaches a subgraph).
     */
    private Map<String, String> admit(Context ctx) throws IOException {
        policy.browser().corsHeaders(ctx.header("origin")).forEach(ctx::header);
        dev.vestibule.router.middleware.Admission.Refused csrf = policy.browser().csrf(ctx.header("content-type"), ctx::header);
        if (csrf != null) {
            reject(ctx, csrf.status(), csrf.message(), csrf.code());
            return null;
        }
        dev.vestibule.router.middleware.Admission admission = policy.authenticator().admit(ctx.path(), ctx::header);
        if (admission instanceof dev.vestibule.router.middleware.Admission.Refused refused) {
            refused.headers().forEach(ctx::header);
            reject(ctx, refused.status(), refused.message(), refused.code());
            return null;
        }
        dev.vestibule.router.middleware.Admission.Admitted admitted = (dev.vestibule.router.middleware.Admission.Admitted) admission;
        ctx.attribute("vestibule.identity", admitted.identity());
        return admitted.subgraphHeaders();
    }

    private void preflight(Context ctx) throws IOException {
        Map<String, String> grants = policy.browser().preflight(ctx.header("origin"));
        if (grants == null) {
            ctx.header("Vary", "Origin");
            reject(ctx, 403, "origin " + ctx.header("origin") + " is not allowed", "CORS_ORIGIN_NOT_ALLOWED");
            return;
        }
        grants.forEach(ctx::header);
        ctx.status(204);
    }

    /** What each subgraph receives: the header rules over the client's headers, then the verified identity. */
    private java.util.function.Function<String, Map<String, String>> subgraphHeaders(Context ctx, Map<String, String> identity) {
        dev.vestibule.router.middleware.HeaderRules rules = policy.headerRules();
        if (rules.isEmpty()) return subgraph -> identity;
        Map<String, String> client = dev.vestibule.router.middleware.HeaderRules.lowerCased(ctx.headerMap());
        Map<String, Map<String, String>> bySubgraph = new java.util.concurrent.ConcurrentHashMap<>();
        return subgraph -> bySubgraph.computeIfAbsent(subgraph, name -> rules.forSubgraph(name, client, identity));
    }

    /** The rate limits, once the operation name is known; false once a refusal has been sent. */
    private boolean withinLimits(Context ctx, GraphQLRequest request) throws IOException {
        if (!policy.rateLimiter().enabled()) return true;
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        String ip = policy.rateLimiter().clientIp(ctx.req().getRemoteAddr(), ctx.header("x-forwarded-for"));
        dev.vestibule.router.middleware.Admission admission = policy.rateLimiter().check(
                ctx.attribute("vestibule.identity"), ip, request.operationName(), headers);
        headers.forEach(ctx::header);
        if (admission instanceof dev.vestibule.router.middleware.Admission.Refused refused) {
            refused.headers().forEach(ctx::header);
            reject(ctx, refused.status(), refused.message(), refused.code());
            return false;
        }
        return true;
    }

    private void get(Context ctx) throws IOException {
        Map<String, String> identityHeaders = admit(ctx);
        if (identityHeaders == null) return;
        GraphQLRequest request;
        Router current = router.get();
        try {
            request = policy.persistedQueries().resolve(requestOf(ctx.queryParam("query"), ctx.queryParam("operationName"),
                    parseJsonParam(ctx.queryParam("variables"), "variables"), parseJsonParam(ctx.queryParam("extensions"), "extensions")));
            if (current.isMutation(request)) {
                ctx.header("Allow", "POST");
                reject(ctx, 405, "mutations are not allowed over GET; send them with POST", "METHOD_NOT_ALLOWED");
                return;
            }
        } catch (RequestError e) {
            respond(ctx, e.status(), Map.of("errors", e.errors()), false);
            return;
        }
        run(ctx, current, request, identityHeaders);
    }

    private void run(Context ctx, Router router, GraphQLRequest request, Map<String, String> identityHeaders) throws IOException {
        if (!withinLimits(ctx, request)) return;
        boolean exposePlan = settings.devMode() && "true".equalsIgnoreCase(ctx.header(PLAN_HEADER));
        dev.vestibule.router.middleware.Identity identity = ctx.attribute("vestibule.identity");
        dev.vestibule.router.operation.Caller caller = identity == null ? dev.vestibule.router.operation.Caller.ANONYMOUS
                : new dev.vestibule.router.operation.Caller(true, java.util.Set.copyOf(identity.scopes()));
        java.util.function.Function<String, Map<String, String>> headers = subgraphHeaders(ctx, identityHeaders);
        Answer answer;
        if (settings.deduplication().inboundQueries() && !exposePlan && isQuery(router, request)) {
            InboundKey key = new InboundKey(router, request, caller, headersForEverySubgraph(router, headers), varyingHeaders(ctx));
            long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
            try {
                answer = inbound.run(key, deadline, () -> answer(router, request, headers, false, caller),
                        WaitMissed::new, WaitMissed.class);
            } catch (WaitMissed e) {
                answer = new Answer(504, bytes(Map.of("errors", List.of(Map.of("message",
                        "no answer in time from the identical request this one joined (" + e.getMessage() + ")",
                        "extensions", Map.of("code", "REQUEST_TIMEOUT"))))), false);
            }
        } else {
            answer = answer(router, request, headers, exposePlan, caller);
        }
        send(ctx, answer);
    }

    /**
     * Everything that can change the answer to a query: the router (a reload starts afresh), the request, the caller's
     * access, the headers each subgraph would receive, and the client headers that may matter although no rule
     * forwards them (Authorization, Cookie, the configured vary_headers).
     */
    private record InboundKey(Router router, GraphQLRequest request, dev.vestibule.router.operation.Caller caller,
                              Map<String, Map<String, String>> subgraphHeaders, List<String> varying) {}

    private static boolean isQuery(Router router, GraphQLRequest request) {
        try {
            return !router.isMutation(request);
        } catch (RequestError e) {
            return false; // answered on its own, with its error
        }
    }

    private static Map<String, Map<String, String>> headersForEverySubgraph(Router router,
                                                                          java.util.function.Function<String, Map<String, String>> headers) {
        Map<String, Map<String, String>> out = new java.util.HashMap<>();
        for (dev.vestibule.router.supergraph.Subgraph subgraph : router.supergraph().subgraphs()) {
            out.put(subgraph.name(), headers.apply(subgraph.name()));
        }
        return out;
    }

    private List<String> varyingHeaders(Context ctx) {
        List<String> names = settings.deduplication().varyHeaders();
        List<String> out = new java.util.ArrayList<>(2 + names.size());
        out.add(ctx.header("authorization"));
        out.add(ctx.header("cookie"));
        for (String name : names) out.add(ctx.header(name));
        return out;
    }

    /** A request that joined an identical one in flight and got no answer from it (deadline, interrupt). */
    private static final class WaitMissed extends Exception {
        WaitMissed(dev.vestibule.router.concurrent.SharedCalls.Miss miss) {
            super(miss.toString(), null, false, false);
        }
    }

    private static byte[] bytes(Object body) {
        return dev.vestibule.router.execution.ResponseWriter.toBytes(body);
    }

    /** A finished answer: its status as graphql-response+json, its serialized body, and whether the request was malformed. */
    private record Answer(int status, byte[] body, boolean malformed) {}

    private Answer answer(Router router, GraphQLRequest request, java.util.function.Function<String, Map<String, String>> headers,
                          boolean exposePlan, dev.vestibule.router.operation.Caller caller) {
        try {
            return new Answer(200, bytes(router.execute(request, headers, exposePlan, caller)), false);
        } catch (RequestError e) {
            return new Answer(e.status(), bytes(Map.of("errors", e.errors())), false);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("request failed inside the router", e);
            return new Answer(500, bytes(Map.of("errors", List.of(Map.of("message", "internal router error: " + e,
                    "extensions", Map.of("code", "INTERNAL_SERVER_ERROR"))))), true);
        }
    }

    private static GraphQLRequest requestOf(Object query, Object operationName, Object variables, Object extensions) {
        if (query != null && !(query instanceof String)) {
            throw RequestError.of(400, "\"query\" must be a string", "BAD_REQUEST");
        }
        if (query == null && !(extensions instanceof Map<?, ?> e && e.containsKey("persistedQuery"))) {
            throw RequestError.of(400, "the request needs a \"query\" string", "BAD_REQUEST");
        }
        if (operationName != null && !(operationName instanceof String)) {
            throw RequestError.of(400, "\"operationName\" must be a string", "BAD_REQUEST");
        }
        if (variables != null && !(variables instanceof Map<?, ?>)) {
            throw RequestError.of(400, "\"variables\" must be a JSON object", "BAD_REQUEST");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = (Map<String, Object>) variables;
        @SuppressWarnings("unchecked")
        Map<String, Object> ext = extensions instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        return new GraphQLRequest((String) query, (String) operationName, vars, ext);
    }

    private static Object parseJsonParam(String value, String name) {
        if (value == null || value.isEmpty()) return null;
        try {
            return JSON.readValue(value, Object.class);
        } catch (IOException e) {
            throw RequestError.of(400, "the " + name + " parameter is not JSON", "BAD_REQUEST");
        }
    }

    /**
     * With application/graphql-response+json, a rejected request keeps its 4xx status; with application/json (the
     * legacy type) a well-formed request that fails validation is answered 200, as the spec says. Errors in the
     * request's JSON itself are 400 in both.
     */
    private void respond(Context ctx, int status, Map<String, Object> body, boolean malformed) throws IOException {
        send(ctx, new Answer(status, bytes(body), malformed));
    }

    private static void send(Context ctx, Answer answer) {
        boolean graphqlResponse = acceptsGraphQLResponse(ctx.header("Accept"));
        int status = answer.status();
        int code = graphqlResponse || answer.malformed() || status == 413 || status == 405 ? status : 200;
        ctx.status(code).contentType(graphqlResponse ? GRAPHQL_RESPONSE_UTF8 : JSON_UTF8);
        // One write with a known length, straight to the servlet stream: Javalin's result() copies through an 8 KB
        // buffer, one locked Jetty send per chunk (measured as a fifth of the HTTP layer's time on an 87 KB answer).
        jakarta.servlet.http.HttpServletResponse response = ctx.res();
        response.setContentLength(answer.body().length);
        try {
            response.getOutputStream().write(answer.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // the client went away: nothing else to do for it
        }
    }

    private void reject(Context ctx, int status, String message, String code) throws IOException {
        respond(ctx, status, Map.of("errors", List.of(Map.of("message", message, "extensions", Map.of("code", code)))), true);
    }

    static boolean acceptsGraphQLResponse(String accept) {
        if (accept == null) return false;
        int graphql = accept.indexOf(GRAPHQL_RESPONSE);
        int json = accept.indexOf("application/json");
        return graphql >= 0 && (json < 0 || graphql < json);
    }

    private static String firstLine(String message) {
        if (message == null) return "";
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() {
        app.stop();
    }
}
