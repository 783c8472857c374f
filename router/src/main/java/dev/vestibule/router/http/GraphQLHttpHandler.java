package dev.vestibule.router.http;

import dev.vestibule.router.Gateway;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.concurrent.SharedCalls;
import dev.vestibule.router.json.JsonBytes;
import dev.vestibule.router.json.JsonReader;
import dev.vestibule.router.middleware.Cohorts;
import dev.vestibule.router.middleware.Decision;
import dev.vestibule.router.middleware.EdgeChain;
import dev.vestibule.router.middleware.EdgeFilter.Phase;
import dev.vestibule.router.middleware.EdgeRequest;
import dev.vestibule.router.operation.Caller;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.RequestError;
import dev.vestibule.router.pipeline.RequestContext;
import dev.vestibule.router.supergraph.Subgraph;
import graphql.language.OperationDefinition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GraphQL over HTTP on {@code /graphql}, as a Jetty handler in front of the service routes ({@link RouterServer}):
 * POST with a JSON body, GET for queries only, OPTIONS for CORS preflights; application/graphql-response+json or
 * application/json by the Accept header with the status codes of the GraphQL-over-HTTP spec; a body size limit.
 * Each request passes the edge filters ({@link EdgeChain}: CORS, CSRF, authentication, persisted operations, rate
 * limits, header rules), a phase at a time as the request becomes known, before the router runs it.
 *
 * <p>Why a Jetty handler and not a Javalin route: on the gateways benchmark the servlet layer under Javalin (wrappers, a context per
 * request, an 8 KB copy loop for the body) cost more than the router's own work when most requests join an identical
 * one in flight; this handler doubled the requests served per core in an A/B run (docs/performance.md).
 */
final class GraphQLHttpHandler extends Handler.Wrapper {
    static final String PATH = "/graphql";
    static final String GRAPHQL_RESPONSE = "application/graphql-response+json";
    private static final String GRAPHQL_RESPONSE_UTF8 = GRAPHQL_RESPONSE + "; charset=utf-8";
    private static final String JSON_UTF8 = "application/json; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(GraphQLHttpHandler.class);

    /** The gateway serving new requests (hot reload swaps it); each request reads it once and keeps it. */
    private final AtomicReference<? extends Gateway> router;
    /** The engine's settings the handler uses too: the request timeout, inbound de-duplication. */
    private final RouterSettings settings;
    private final ServerSettings server;
    private final EdgeChain chain;
    private final ClientFaults faults;
    private final long bodyReadTimeoutNanos;
    /** What watches each request (telemetry, when on), or null. */
    private final GraphQLRequestObserver observer;
    /** Identical client queries in flight share one execution (when router.deduplication.inbound_queries is on). */
    private final SharedCalls<InboundKey, Answer> inbound = new SharedCalls<>();

    /** @param observer what watches each request on /graphql (telemetry), or null */
    GraphQLHttpHandler(AtomicReference<? extends Gateway> router, RouterSettings settings, ServerSettings server, EdgeChain chain,
                       ClientFaults faults, GraphQLRequestObserver observer) {
        this.router = router;
        this.observer = observer;
        this.settings = settings;
        this.server = server;
        this.chain = chain;
        this.faults = faults;
        this.bodyReadTimeoutNanos = server.bodyReadTimeout().toNanos();
    }

    /**
     * One request being answered: Jetty's request and response, and (as an {@link EdgeRequest}) what the edge filters
     * learned about it.
     */
    private static final class Exchange extends EdgeRequest {
        final Request request;
        final Response response;
        final Callback callback;
        /** The request's id (RequestIds): in the response's x-request-id header, the log, internal errors' answers. */
        final String id;
        /**
         * POST: its request errors keep their status under application/json too; GET: those that reached GraphQL are
         * answered 200 there (see {@link #send}).
         */
        final boolean post;

        Exchange(Request request, Response response, Callback callback, Object observation) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.id = RequestIds.of(request);
            this.post = request.getMethod().equals("POST");
            observation(observation); // what the observer keeps of the request (telemetry's record), for the filters and the engine
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            return PATH;
        }

        @Override
        public String remoteAddress() {
            return Request.getRemoteAddr(request);
        }

        @Override
        public String header(String name) {
            return request.getHeaders().get(name);
        }

        @Override
        public void responseHeader(String name, String value) {
            response.getHeaders().put(name, value);
        }

        @Override
        public Map<String, String> headers() {
            Map<String, String> out = new LinkedHashMap<>();
            for (HttpField field : request.getHeaders()) out.putIfAbsent(field.getLowerCaseName(), field.getValue());
            return out;
        }

        void send(int status, String contentType, JsonBytes body) {
            writeWhole(response, callback, status, contentType, body.buffer());
        }

        void sendEmpty(int status) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
            response.write(true, null, callback);
        }
    }

    /** One whole answer in a single write, with its Content-Length (no chunking, no copy loop). */
    static void writeWhole(Response response, Callback callback, int status, String contentType, ByteBuffer body) {
        response.setStatus(status);
        if (contentType != null) response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
        response.write(true, body, callback);
    }

    /**
     * Blocking, whatever the handler behind it is: bodies are read and subgraphs called on the request's own thread,
     * so Jetty must hand each request to a (virtual) thread of its own, never run it on a selector.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!PATH.equals(Request.getPathInContext(request))) return super.handle(request, response, callback);
        Object observation = observer == null ? null : observer.begin(request);
        Exchange exchange = new Exchange(request, response, callback, observation);
        Throwable failure = null;
        try {
            exchange.responseHeader(RequestIds.HEADER, exchange.id);
            try {
                switch (request.getMethod()) {
                    case "POST" -> post(exchange);
                    case "GET" -> get(exchange);
                    case "OPTIONS" -> preflight(exchange);
                    default -> {
                        exchange.responseHeader("Allow", "GET, POST, OPTIONS");
                        exchange.responseHeader("Connection", "close"); // whatever body it has is left unread
                        reject(exchange, 405, request.getMethod() + " is not served on " + PATH + "; use POST or GET", "METHOD_NOT_ALLOWED");
                    }
                }
            } catch (RuntimeException | IOException | StackOverflowError e) {
                if (response.isCommitted()) throw e;
                LOG.error("request {} failed inside the router", exchange.id, e);
                send(exchange, Answer.internalError(exchange.id));
            }
        } catch (Exception | Error e) {
            failure = e;
            throw e;
        } finally {
            if (observer != null) observer.end(observation, request, response, failure);
        }
        return true;
    }

    private void post(Exchange exchange) throws IOException {
        long limit = server.maxBodyBytes();
        if (exchange.request.getLength() > limit) {
            exchange.responseHeader("Connection", "close"); // the body is left unread: this connection cannot carry another request
            reject(exchange, 413, "the request body is larger than " + limit + " bytes", "PAYLOAD_TOO_LARGE");
            return;
        }
        // read before any refusal, so that the connection stays usable for the client's next request
        byte[] body = readBody(exchange, limit);
        if (body == null) return; // answered (408, 413) or the client went away
        if (!passes(exchange, Phase.REQUEST)) return;
        if (!isJson(exchange.header("content-type"))) {
            reject(exchange, 415, "the request body must be JSON: send it with content-type: application/json"
                    + " (the only type accepted on POST " + PATH + ")", "UNSUPPORTED_MEDIA_TYPE");
            return;
        }
        Map<String, Object> json;
        try {
            json = JsonReader.readObject(body); // streaming: no data binding on the request path
        } catch (IOException e) {
            reject(exchange, 400, "the request body is not a JSON object: " + firstLine(e.getMessage()), "BAD_REQUEST");
            return;
        }
        GraphQLRequest request;
        try {
            request = requestOf(json.get("query"), json.get("operationName"), json.get("variables"), json.get("extensions"));
        } catch (RequestError e) {
            send(exchange, requestError(exchange, e));
            return;
        }
        run(exchange, request);
    }

    /**
     * The request's body, read chunk by chunk as it arrives, for at most server.body_read_timeout in all; null when
     * it did not come: then 408 (too slow) or 413 (over the limit, found while reading a chunked body) has been sent,
     * or the client went away. A client that stops sending or goes away is counted and logged in one line at most
     * every few seconds (ClientFaults), never with a stack trace: anyone can do it, as often as they like.
     */
    private byte[] readBody(Exchange exchange, long limit) {
        Request request = exchange.request;
        long length = request.getLength();
        // with a Content-Length (checked against the limit; Jetty's parser ends the content there), one array of that size
        byte[] body = new byte[length >= 0 ? (int) length : (int) Math.min(limit + 1, CHUNKED_START)];
        int size = 0;
        long deadline = System.nanoTime() + bodyReadTimeoutNanos;
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                if (awaitContent(request, deadline)) continue;
                faults.record(ClientFaults.Kind.IDLE_BODY, Request.getRemoteAddr(request));
                exchange.responseHeader("Connection", "close"); // the rest of the body may still come: this connection is done
                reject(exchange, 408, "the request body did not arrive in time; send it at once after the headers", "REQUEST_TIMEOUT");
                return null;
            }
            if (Content.Chunk.isFailure(chunk)) {
                if (chunk.getFailure() instanceof TimeoutException) { // Jetty's idle timeout, when shorter than ours
                    faults.record(ClientFaults.Kind.IDLE_BODY, Request.getRemoteAddr(request));
                    exchange.responseHeader("Connection", "close");
                    reject(exchange, 408, "the request body did not arrive in time; send it at once after the headers", "REQUEST_TIMEOUT");
                } else {
                    // the client closed or reset the connection mid-body: an answer is sent in case it still reads (a
                    // half-closed socket), and the connection closed; failing the callback instead makes Jetty log
                    // each one as a server error
                    faults.record(ClientFaults.Kind.ABORTED_BODY, Request.getRemoteAddr(request));
                    exchange.responseHeader("Connection", "close");
                    reject(exchange, 400, "the request body ended before its announced length", "BAD_REQUEST");
                }
                return null;
            }
            ByteBuffer buffer = chunk.getByteBuffer();
            int n = buffer.remaining();
            if (size + (long) n > limit) { // no Content-Length (chunked): found while reading
                chunk.release();
                exchange.responseHeader("Connection", "close");
                reject(exchange, 413, "the request body is larger than " + limit + " bytes", "PAYLOAD_TOO_LARGE");
                return null;
            }
            if (size + n > body.length) body = Arrays.copyOf(body, (int) Math.min(limit + 1, Math.max(2L * body.length, size + n)));
            buffer.get(body, size, n);
            size += n;
            boolean last = chunk.isLast();
            chunk.release();
            if (last) return size == body.length ? body : Arrays.copyOf(body, size);
        }
    }

    /** The first array for a chunked body, grown by doubling up to the limit. */
    private static final int CHUNKED_START = 8 * 1024;

    /**
     * Waits until Jetty has more of the body (or a failure), up to the deadline; false when the deadline passed. The
     * wait parks the request's virtual thread; the wake-up runs in place on Jetty's side (non-blocking), not as a task.
     */
    private static boolean awaitContent(Request request, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        CompletableFuture<Void> ready = new CompletableFuture<>();
        request.demand(Invocable.from(Invocable.InvocationType.NON_BLOCKING, () -> ready.complete(null)));
        try {
            ready.get(left, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // not completed exceptionally; the next read says what happened
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping: the next read fails
            return true;
        }
    }

    /** application/json, with or without parameters (charset): the type GraphQL over HTTP requires for POST bodies. */
    static boolean isJson(String contentType) {
        if (contentType == null) return false;
        int end = contentType.indexOf(';');
        String type = (end < 0 ? contentType : contentType.substring(0, end)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    private void get(Exchange exchange) throws IOException {
        if (!passes(exchange, Phase.REQUEST)) return;
        Fields parameters;
        try {
            parameters = Request.extractQueryParameters(exchange.request);
        } catch (RuntimeException e) { // a malformed query string (bad percent-encoding)
            reject(exchange, 400, "the query string is not valid: " + firstLine(e.getMessage()), "BAD_REQUEST");
            return;
        }
        GraphQLRequest request;
        try {
            request = requestOf(parameters.getValue("query"), parameters.getValue("operationName"),
                    parseJsonParam(parameters.getValue("variables"), "variables"),
                    parseJsonParam(parameters.getValue("extensions"), "extensions"));
        } catch (RequestError e) {
            send(exchange, requestError(exchange, e));
            return;
        }
        run(exchange, request);
    }

    /** A CORS preflight: the REQUEST phase answers it (CorsFilter); a chain without CORS grants nothing. */
    private void preflight(Exchange exchange) {
        Decision decision = chain.run(Phase.REQUEST, exchange);
        if (decision instanceof Decision.Continue) exchange.sendEmpty(204);
        else sendDecision(exchange, decision);
    }

    /** Runs one phase of the edge filters; false once their refusal has been sent (it never reaches a subgraph). */
    private boolean passes(Exchange exchange, Phase phase) {
        Decision decision = chain.run(phase, exchange);
        if (decision instanceof Decision.Continue) return true;
        sendDecision(exchange, decision);
        return false;
    }

    /** Sends an edge filter's refusal or answer. */
    private static void sendDecision(Exchange exchange, Decision decision) {
        switch (decision) {
            case Decision.Reject reject -> {
                reject.headers().forEach(exchange::responseHeader);
                send(exchange, new Answer(reject.status(), ErrorBodies.body(reject.message(), reject.code()),
                        !reject.requestError() || exchange.post));
            }
            case Decision.Respond respond -> {
                respond.headers().forEach(exchange::responseHeader);
                exchange.sendEmpty(respond.status());
            }
            case Decision.Continue ignored -> throw new IllegalArgumentException("nothing to answer: the request goes on");
        }
    }

    /**
     * A parsed request, from here on the same for POST and GET: persisted operations, mutations refused over GET, rate
     * limits and header rules, then the router (or an identical query in flight).
     */
    private void run(Exchange exchange, GraphQLRequest parsed) {
        exchange.operation(parsed);
        if (!passes(exchange, Phase.OPERATION)) return;
        Gateway gateway = this.router.get();
        GraphQLRequest request = exchange.operation();
        if (!exchange.post) {
            try {
                if (gateway.operationKind(request) == OperationDefinition.Operation.MUTATION) {
                    exchange.responseHeader("Allow", "POST");
                    reject(exchange, 405, "mutations are not allowed over GET; send them with POST", "METHOD_NOT_ALLOWED");
                    return;
                }
            } catch (RequestError e) {
                send(exchange, requestError(exchange, e));
                return;
            }
        }
        if (!passes(exchange, Phase.ADMISSION)) return;
        boolean exposePlan = server.exposesPlan(exchange.header(RouterServer.PLAN_HEADER));
        Function<String, Map<String, String>> headers = exchange.subgraphHeaders();
        // the request's deadline, set once: a request that joins an identical one in flight waits for it until then,
        // and one that runs its own is due then, however long it waited
        RequestContext context = new RequestContext(exchange.caller(), headers::apply, Map.of(),
                System.nanoTime() + settings.requestTimeout().toNanos(), exposePlan,
                Cohorts.of(exchange, gateway.callers()), exchange.observation());
        Answer answer;
        if (settings.deduplication().inboundQueries() && !exposePlan && isQuery(gateway, request)) {
            InboundKey key = new InboundKey(gateway, request, context.caller(), headersForEverySubgraph(gateway, headers),
                    varyingHeaders(exchange), gateway.trafficSplit(context.cohort()));
            try {
                answer = inbound.run(key, context.deadlineNanos(), () -> answer(exchange.id, gateway, request, context),
                        WaitMissed::new, WaitMissed.class);
            } catch (WaitMissed e) {
                answer = new Answer(504, ErrorBodies.body("no answer in time from the identical request this one joined ("
                        + e.getMessage() + ")", "REQUEST_TIMEOUT"), false);
            }
        } else {
            answer = answer(exchange.id, gateway, request, context);
        }
        send(exchange, answer);
    }

    /**
     * Everything that can change the answer to a query: the gateway (a reload starts afresh), the request, the caller's
     * access, the headers each subgraph would receive, and the client headers that may matter although no rule
     * forwards them (Authorization, Cookie, the configured vary_headers), and where the caller lands in the traffic
     * splits (canaries, progressive override labels: requests planned or routed differently never share an answer).
     */
    private record InboundKey(Gateway gateway, GraphQLRequest request, Caller caller,
                              Map<String, Map<String, String>> subgraphHeaders, List<String> varying, Object trafficSplit) {}

    private static boolean isQuery(Gateway gateway, GraphQLRequest request) {
        try {
            return gateway.operationKind(request) != OperationDefinition.Operation.MUTATION;
        } catch (RequestError e) {
            return false; // answered on its own, with its error
        }
    }

    private static Map<String, Map<String, String>> headersForEverySubgraph(Gateway gateway, Function<String, Map<String, String>> headers) {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (Subgraph subgraph : gateway.supergraph().subgraphs()) out.put(subgraph.name(), headers.apply(subgraph.name()));
        return out;
    }

    private List<String> varyingHeaders(Exchange exchange) {
        List<String> names = settings.deduplication().varyHeaders();
        List<String> out = new ArrayList<>(2 + names.size());
        out.add(exchange.header("authorization"));
        out.add(exchange.header("cookie"));
        for (String name : names) out.add(exchange.header(name));
        return out;
    }

    /** A request that joined an identical one in flight and got no answer from it (deadline, interrupt). */
    private static final class WaitMissed extends Exception {
        WaitMissed(SharedCalls.Miss miss) {
            super(miss.toString(), null, false, false);
        }
    }

    /**
     * A finished answer: its status as graphql-response+json, its serialized body, and whether the request was
     * malformed; for an internal error, the id of the request that failed (its body is made per client, in send).
     */
    private record Answer(int status, JsonBytes body, boolean malformed, String failedRequest) {
        Answer(int status, JsonBytes body, boolean malformed) {
            this(status, body, malformed, null);
        }

        static Answer internalError(String requestId) {
            return new Answer(500, null, true, requestId);
        }
    }

    private static Answer answer(String requestId, Gateway gateway, GraphQLRequest request, RequestContext context) {
        try {
            return new Answer(200, gateway.execute(request, context), false);
        } catch (RequestError e) {
            return new Answer(e.status(), ErrorBodies.body(e.errors()), false);
        } catch (RuntimeException | StackOverflowError e) {
            // the details (exception, stack, whatever values it names) go to the log only, under the request's id
            LOG.error("request {} failed inside the router", requestId, e);
            return Answer.internalError(requestId);
        }
    }

    /** The answer to a request that failed inside the router (ErrorBodies.internalError), under this request's id. */
    private static JsonBytes internalError(Exchange exchange, String failedRequest) {
        if (!exchange.id.equals(failedRequest)) {
            // joined an identical request in flight, which failed: the log holds the details under that one's id
            LOG.warn("request {} shared the execution of request {}, which failed inside the router", exchange.id, failedRequest);
        }
        return ErrorBodies.body(List.of(ErrorBodies.internalError(exchange.id)));
    }

    /** A request error found before the router ran the request (its JSON, its parameters, a mutation over GET). */
    private static Answer requestError(Exchange exchange, RequestError e) {
        return new Answer(e.status(), ErrorBodies.body(e.errors()), exchange.post);
    }

    /**
     * With application/graphql-response+json, a rejected request keeps its 4xx status; with application/json (the
     * legacy type) a well-formed request that fails validation is answered 200, as the spec says. Errors in the
     * request's JSON itself are 400 in both.
     */
    private static void send(Exchange exchange, Answer answer) {
        boolean graphqlResponse = acceptsGraphQLResponse(exchange.header("Accept"));
        int status = answer.status();
        int code = graphqlResponse || answer.malformed() || status == 413 || status == 405 || status == 408 || status == 415 ? status : 200;
        JsonBytes body = answer.failedRequest() == null ? answer.body() : internalError(exchange, answer.failedRequest());
        exchange.send(code, graphqlResponse ? GRAPHQL_RESPONSE_UTF8 : JSON_UTF8, body);
    }

    private static void reject(Exchange exchange, int status, String message, String code) {
        send(exchange, new Answer(status, ErrorBodies.body(message, code), true));
    }

    private static boolean acceptsGraphQLResponse(String accept) {
        if (accept == null) return false;
        int graphql = accept.indexOf(GRAPHQL_RESPONSE);
        int json = accept.indexOf("application/json");
        return graphql >= 0 && (json < 0 || graphql < json);
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
            return JsonReader.readValue(value.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw RequestError.of(400, "the " + name + " parameter is not JSON", "BAD_REQUEST");
        }
    }

    private static String firstLine(String message) {
        if (message == null) return "";
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
