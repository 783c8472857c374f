package dev.vestibule.router.bff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vestibule.router.bff.BffHost.LastGood;
import dev.vestibule.router.bff.BffHost.MountedModule;
import dev.vestibule.router.bff.BffHost.MountedRoute;
import dev.vestibule.router.http.RequestIds;
import dev.vestibule.router.middleware.Admission;
import dev.vestibule.router.middleware.Decision;
import dev.vestibule.router.middleware.EdgeFilter.Phase;
import dev.vestibule.router.middleware.EdgeRequest;
import dev.vestibule.router.middleware.Identity;
import dev.vestibule.router.operation.GraphQLErrors;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.router.operation.RequestError;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BFF routes, whatever HTTP server carries them (the router's Jetty server in process, {@link BffHandler}; Javalin
 * in a standalone BFF, {@link StandaloneBff}). One request: match the route; read the body; the edge chain's REQUEST
 * phase (CORS, CSRF on state-changing methods, authentication, with a session cookie standing for the bearer token);
 * the session's CSRF token; the route's identity requirement; the module's concurrency bound; the route's code
 * (request to variables); the ADMISSION phase (the router's rate limits, keyed by the operation's name, and its header
 * rules) and the route's own limit; the operation through the host's {@link OperationExecutor} (the engine in
 * process, or a router over HTTP), by the route's deadline; then the data shaped by the route's code, or its failure
 * policy.
 */
final class BffService {
    private static final Logger LOG = LoggerFactory.getLogger(BffService.class);
    private static final String JSON_UTF8 = "application/json; charset=utf-8";
    static final String FALLBACK_HEADER = "Vestibule-Fallback";
    private static final MessageDigest SHA_256 = lookUpSha256();

    private final BffHost host;

    BffService(BffHost host) {
        this.host = host;
    }

    /** The mounted module whose prefix the path is under; null when none. */
    MountedModule moduleOf(String path) {
        for (MountedModule module : host.modules) {
            String prefix = module.prefix();
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) return module;
        }
        return null;
    }

    /** Answers one request on a module's prefix; whatever fails inside is a problem body with the request's id. */
    void handle(BffExchange exchange) throws IOException {
        exchange.responseHeader(RequestIds.HEADER, exchange.id);
        try {
            serve(exchange);
        } catch (RuntimeException | IOException | StackOverflowError e) {
            if (exchange.committed()) throw e; // the server aborts the answer it began
            LOG.error("request {} on BFF module '{}' failed inside the host", exchange.id, exchange.module.module().client(), e);
            problem(exchange, Problem.of(500, "internal", "Internal error", "the request failed inside the router; quote the requestId when reporting it"));
        }
    }

    private void serve(BffExchange exchange) throws IOException {
        MountedModule module = exchange.module;
        String method = exchange.method();
        String path = exchange.path;
        if (path.equals(module.prefix() + "/openapi.json") && (method.equals("GET") || method.equals("HEAD"))) {
            send(exchange, 200, JSON_UTF8, module.openApi());
            return;
        }
        boolean session = module.module().credentials() == BffModule.Credentials.SESSION;
        if (session) exchange.sessionToken = Sessions.cookie(exchange.requestHeader("cookie"), Sessions.sessionCookie(module.module().client()));
        if (method.equals("OPTIONS")) {
            Decision decision = host.chain.run(Phase.REQUEST, exchange);
            if (decision instanceof Decision.Respond respond) {
                respond.headers().forEach(exchange::responseHeader);
                sendEmpty(exchange, respond.status());
            } else {
                exchange.responseHeader("Allow", "GET, POST, OPTIONS");
                sendEmpty(exchange, 204);
            }
            return;
        }
        if (session && (path.equals(module.prefix() + "/login") || path.equals(module.prefix() + "/logout"))) {
            if (!method.equals("POST")) {
                exchange.responseHeader("Allow", "POST");
                problem(exchange, Problem.of(405, "method-not-allowed", "Method not allowed", "use POST on " + path));
                return;
            }
            if (path.endsWith("/login")) login(exchange); else logout(exchange);
            return;
        }
        MountedRoute route = null;
        Map<String, String> parameters = null;
        Set<String> allowed = null;
        for (MountedRoute candidate : module.routes()) {
            Map<String, String> values = candidate.template().match(path);
            if (values == null) continue;
            if (candidate.route().method().equals(method)) {
                route = candidate;
                parameters = values;
                break;
            }
            if (allowed == null) allowed = new LinkedHashSet<>();
            allowed.add(candidate.route().method());
        }
        if (route == null) {
            if (allowed != null) {
                exchange.responseHeader("Allow", String.join(", ", allowed));
                problem(exchange, Problem.of(405, "method-not-allowed", "Method not allowed", "use " + String.join(" or ", allowed) + " on " + path));
            } else {
                problem(exchange, Problem.of(404, "not-found", "Not found", "the " + module.module().client()
                        + " BFF has no route at " + path + "; its routes are listed at " + module.prefix() + "/openapi.json"));
            }
            return;
        }
        exchange.template = route.route().path();
        byte[] body = null;
        if (!method.equals("GET") && !method.equals("DELETE")) {
            body = readBody(exchange);
            if (body == null) return;
        }
        if (!passes(exchange, Phase.REQUEST)) return;
        if (session && !method.equals("GET") && exchange.requestHeader("authorization") == null
                && exchange.sessionToken != null && !Sessions.csrfMatches(exchange.sessionToken, exchange.requestHeader(Sessions.CSRF_HEADER))) {
            problem(exchange, Problem.of(403, "csrf", "CSRF token missing or wrong", "send the csrfToken the login answered in the "
                    + Sessions.CSRF_HEADER + " header (it is also in the " + Sessions.csrfCookie(module.module().client()) + " cookie)"));
            return;
        }
        if (route.route().policy().authenticated() && exchange.identity() == null) {
            exchange.responseHeader("WWW-Authenticate", "Bearer realm=\"vestibule\"");
            problem(exchange, Problem.of(401, "unauthenticated", "Authentication required", session
                    ? "log in first: POST " + module.prefix() + "/login with Authorization: Bearer <token>"
                    : "send Authorization: Bearer <token>"));
            return;
        }
        module.stats().requests.increment();
        if (!module.permits().tryAcquire()) {
            module.stats().overCapacity.increment();
            exchange.responseHeader("Retry-After", "1");
            problem(exchange, Problem.of(503, "over-capacity", "Too many requests in progress", "the " + module.module().client()
                    + " BFF is answering as many requests as it may at once; retry shortly"));
            return;
        }
        try {
            run(exchange, route, parameters, body);
        } finally {
            module.permits().release();
        }
    }

    /** Runs the edge chain's phase; false when it answered the request (a refusal, or a preflight). */
    private boolean passes(BffExchange exchange, Phase phase) throws IOException {
        Decision decision = host.chain.run(phase, exchange);
        return switch (decision) {
            case Decision.Continue c -> true;
            case Decision.Reject reject -> {
                reject.headers().forEach(exchange::responseHeader);
                problem(exchange, Problem.of(reject.status(), "refused", titleOf(reject.status()), reject.message()).with("code", reject.code()));
                yield false;
            }
            case Decision.Respond respond -> {
                respond.headers().forEach(exchange::responseHeader);
                sendEmpty(exchange, respond.status());
                yield false;
            }
        };
    }

    private static String titleOf(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Authentication required";
            case 403 -> "Forbidden";
            case 429 -> "Too many requests";
            case 503 -> "Unavailable";
            default -> "Refused";
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void run(BffExchange exchange, MountedRoute mounted, Map<String, String> parameters, byte[] body) throws IOException {
        MountedModule module = exchange.module;
        BffRoute route = mounted.route();
        BffOperation operation = route.operation();
        BffRequest request = new BffRequest(exchange.method(), exchange.path, parameters, exchange.queryParameters(), body,
                exchange.identity(), exchange::header);
        Map<String, Object> variables;
        try {
            variables = operation.variables((Record) route.variables().apply(request));
        } catch (BffRequest.BadRequest e) {
            problem(exchange, Problem.of(400, "bad-request", "Bad request", e.getMessage()));
            return;
        } catch (BffRequest.NotFound e) {
            problem(exchange, Problem.of(404, "not-found", "Not found", e.getMessage()));
            return;
        } catch (RuntimeException | StackOverflowError e) {
            codeFailed(exchange, mounted, "mapping the request to variables", e);
            return;
        }
        GraphQLRequest graphql = new GraphQLRequest(operation.document(), operation.name(), variables, Map.of());
        exchange.operation(graphql); // the router's rate limits key by the operation's name
        if (!passes(exchange, Phase.ADMISSION)) return;
        if (mounted.limiter() != null) {
            Map<String, String> headers = new LinkedHashMap<>();
            String ip = mounted.limiter().clientIp(exchange.remoteAddress(), exchange.requestHeader("x-forwarded-for"));
            Admission admission = mounted.limiter().check(exchange.identity(), ip, operation.name(), headers);
            headers.forEach(exchange::responseHeader);
            if (admission instanceof Admission.Refused refused) {
                refused.headers().forEach(exchange::responseHeader);
                problem(exchange, Problem.of(refused.status(), "rate-limited", titleOf(refused.status()), refused.message()).with("code", refused.code()));
                return;
            }
        }
        String key = mounted.lastGood() == null ? null : lastGoodKey(exchange);
        long deadline = System.nanoTime() + mounted.deadline().toNanos();
        Map<String, Object> json;
        try {
            json = host.executor.execute(module.module().client(), operation, graphql, exchange, deadline);
        } catch (OperationExecutor.Refused e) {
            // a router over HTTP refused the caller (its authentication, scopes, rate limits): the client's to act on
            e.headers().forEach(exchange::responseHeader);
            problem(exchange, Problem.of(e.status(), "refused", titleOf(e.status()), e.getMessage()).with("code", e.code()));
            return;
        } catch (RequestError e) {
            Map<String, Object> error = e.errors().isEmpty() ? Map.of() : e.errors().get(0);
            Object code = GraphQLErrors.code(error);
            if ("BAD_USER_INPUT".equals(code)) {
                problem(exchange, Problem.of(400, "bad-request", "Bad request", "the request's values are not valid here: "
                        + GraphQLErrors.message(error)));
            } else {
                // the operation is the module's own and was checked against the supergraph: not the client's mistake
                LOG.error("request {}: BFF module '{}', operation {} was refused by the router: {}", exchange.id, module.module().client(),
                        operation.name(), e.errors());
                failed(exchange, mounted, key, 502, List.of(gap("(operation)", String.valueOf(code))));
            }
            return;
        }
        Object errors = json.get("errors");
        Object data = json.get("data");
        List<Map<String, Object>> gaps = errors instanceof List<?> list && !list.isEmpty() ? gapsOf(list) : List.of();
        if (!(data instanceof Map<?, ?>) || !gaps.isEmpty() && route.policy().failure() != RoutePolicy.Failure.PARTIAL) {
            if (gaps.isEmpty()) gaps = List.of(gap("(operation)", "NO_DATA"));
            failed(exchange, mounted, key, timedOut(gaps) ? 504 : 502, gaps);
            return;
        }
        byte[] bytes;
        try {
            Object shaped = route.shape().apply(operation.data((Map<String, Object>) data));
            if (gaps.isEmpty()) {
                bytes = BffBodies.MAPPER.writeValueAsBytes(shaped);
            } else {
                JsonNode tree = BffBodies.MAPPER.valueToTree(shaped);
                if (tree instanceof ObjectNode object) object.set("gaps", BffBodies.MAPPER.valueToTree(gaps));
                bytes = BffBodies.MAPPER.writeValueAsBytes(tree);
            }
        } catch (BffRequest.NotFound e) {
            problem(exchange, Problem.of(404, "not-found", "Not found", e.getMessage()));
            return;
        } catch (RuntimeException | StackOverflowError | JsonProcessingException e) {
            if (!gaps.isEmpty()) {
                // the shaping could not take a section's absence: the answer is as failed as its gaps say
                LOG.warn("request {}: BFF module '{}', {} {}: the shaping failed on a partial answer ({})", exchange.id,
                        module.module().client(), route.method(), route.path(), e.toString());
            }
            codeFailed(exchange, mounted, "shaping the answer", e);
            return;
        }
        if (!gaps.isEmpty()) {
            module.stats().partial.increment();
            exchange.responseHeader("Cache-Control", "no-store");
            send(exchange, 200, JSON_UTF8, bytes);
            return;
        }
        if (key != null) mounted.lastGood().put(key, new LastGood(bytes, System.currentTimeMillis()));
        good(exchange, route.policy(), bytes);
    }

    /** A good answer: Cache-Control and ETag on GET, 304 when the client's copy is current. */
    private void good(BffExchange exchange, RoutePolicy policy, byte[] bytes) {
        if (!exchange.method().equals("GET")) {
            exchange.responseHeader("Cache-Control", "no-store");
            send(exchange, 200, JSON_UTF8, bytes);
            return;
        }
        String etag = etag(bytes);
        exchange.responseHeader("ETag", etag);
        exchange.responseHeader("Cache-Control", policy.cacheControl() == null ? "no-cache" : policy.cacheControl());
        if (matches(exchange.requestHeader("if-none-match"), etag)) {
            sendEmpty(exchange, 304);
            return;
        }
        send(exchange, 200, JSON_UTF8, bytes);
    }

    /** A strong ETag: the first 16 bytes of the body's sha-256. */
    static String etag(byte[] bytes) {
        byte[] digest = sha256().digest(bytes);
        return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + "\"";
    }

    /**
     * A fresh digest cloned from one looked up once: {@code MessageDigest.getInstance} searches the security providers on
     * every call, and a per-thread digest would be one per virtual thread.
     */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 digest cannot be cloned", e);
        }
    }

    private static MessageDigest lookUpSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** If-None-Match (RFC 9110 13.1.2: weak comparison) against the answer's ETag. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        int at = 0;
        while (at < ifNoneMatch.length()) {
            int end = ifNoneMatch.indexOf(',', at);
            if (end < 0) end = ifNoneMatch.length();
            String candidate = ifNoneMatch.substring(at, end).trim();
            if (candidate.equals("*")) return true;
            if (candidate.startsWith("W/")) candidate = candidate.substring(2);
            if (candidate.equals(etag)) return true;
            at = end + 1;
        }
        return false;
    }

    /** A part of the operation failed and the policy does not accept the answer as it is. */
    private void failed(BffExchange exchange, MountedRoute mounted, String key, int status, List<Map<String, Object>> gaps) {
        MountedModule module = exchange.module;
        if (fellBack(exchange, mounted, key)) return;
        module.stats().failed.increment();
        problem(exchange, Problem.of(status, status == 504 ? "deadline" : "section-failed",
                status == 504 ? "The answer did not come in time" : "A part of the answer failed",
                "missing: " + String.join(", ", gaps.stream().map(g -> g.get("section") + " (" + g.get("reason") + ")").toList()))
                .with("gaps", gaps));
    }

    /** The fallback policy: the last good answer for the same request and caller, else the static default. */
    private boolean fellBack(BffExchange exchange, MountedRoute mounted, String key) {
        if (key == null) return false;
        RoutePolicy policy = mounted.route().policy();
        LastGood last = mounted.lastGood().get(key);
        byte[] body;
        if (last != null) {
            body = last.body();
            exchange.responseHeader(FALLBACK_HEADER, "last-good");
            exchange.responseHeader("Age", Long.toString(Math.max(0, (System.currentTimeMillis() - last.atMillis()) / 1000)));
        } else if (policy.fallbackDefault() != null) {
            try {
                body = BffBodies.MAPPER.writeValueAsBytes(policy.fallbackDefault().get());
            } catch (RuntimeException | JsonProcessingException e) {
                LOG.error("request {}: BFF module '{}', {} {}: the static fallback failed", exchange.id, exchange.module.module().client(),
                        mounted.route().method(), mounted.route().path(), e);
                return false;
            }
            exchange.responseHeader(FALLBACK_HEADER, "default");
        } else {
            return false;
        }
        exchange.module.stats().fallbacks.increment();
        exchange.responseHeader("Cache-Control", "no-store");
        send(exchange, 200, JSON_UTF8, body);
        return true;
    }

    /** The route's own code threw: counted, logged with the request's id, answered with a problem (or a fallback). */
    private void codeFailed(BffExchange exchange, MountedRoute mounted, String doing, Throwable e) {
        MountedModule module = exchange.module;
        module.stats().codeFailures.increment();
        LOG.error("request {}: BFF module '{}', {} {}: its code failed {}", exchange.id, module.module().client(),
                mounted.route().method(), mounted.route().path(), doing, e);
        String key = mounted.lastGood() == null ? null : lastGoodKey(exchange);
        if (fellBack(exchange, mounted, key)) return;
        problem(exchange, Problem.of(500, "route-failed", "The route failed", "the " + module.module().client()
                + " BFF's code for this route failed; quote the requestId when reporting it"));
    }

    /** Where the answer depends on: the route, the path and query, and who asks. */
    private static String lastGoodKey(BffExchange exchange) {
        Identity identity = exchange.identity();
        String query = exchange.rawQuery();
        return exchange.method() + ' ' + exchange.path + (query == null ? "" : "?" + query) + ' '
                + (identity == null ? "" : identity.method() + ':' + identity.subject());
    }

    /** The sections a GraphQL answer's errors leave out: each error's path (without list indices) and code, once each. */
    private static List<Map<String, Object>> gapsOf(List<?> errors) {
        Map<String, Map<String, Object>> gaps = new LinkedHashMap<>();
        for (Object item : errors) {
            if (!(item instanceof Map<?, ?> error)) continue;
            StringBuilder section = new StringBuilder();
            if (error.get("path") instanceof List<?> path) {
                for (Object segment : path) {
                    if (segment instanceof String name) {
                        if (!section.isEmpty()) section.append('.');
                        section.append(name);
                    }
                }
            }
            String name = section.isEmpty() ? "(operation)" : section.toString();
            Object code = GraphQLErrors.code(error);
            gaps.putIfAbsent(name, gap(name, code == null ? "ERROR" : String.valueOf(code)));
        }
        return new ArrayList<>(gaps.values());
    }

    private static Map<String, Object> gap(String section, String reason) {
        Map<String, Object> gap = new LinkedHashMap<>();
        gap.put("section", section);
        gap.put("reason", reason);
        return gap;
    }

    private static boolean timedOut(List<Map<String, Object>> gaps) {
        for (Map<String, Object> gap : gaps) {
            Object reason = gap.get("reason");
            if ("REQUEST_TIMEOUT".equals(reason) || "SUBGRAPH_TIMEOUT".equals(reason)) return true;
        }
        return false;
    }

    private void login(BffExchange exchange) throws IOException {
        String client = exchange.module.module().client();
        exchange.sessionToken = null; // the login takes the bearer token itself, never the cookie
        exchange.template = exchange.path;
        if (readBody(exchange) == null) return;
        if (!passes(exchange, Phase.REQUEST)) return;
        Identity identity = exchange.identity();
        String authorization = exchange.requestHeader("authorization");
        if (identity == null || !"jwt".equals(identity.method()) || authorization == null) {
            exchange.responseHeader("WWW-Authenticate", "Bearer realm=\"vestibule\"");
            problem(exchange, Problem.of(401, "unauthenticated", "Authentication required",
                    "log in with Authorization: Bearer <token> (a token the router's authentication accepts)"));
            return;
        }
        String token = authorization.substring("Bearer ".length()).trim();
        Object exp = identity.claims().get("exp");
        long expiresAt = exp instanceof Date date ? date.getTime() : exp instanceof Number number ? number.longValue() * 1000 : 0;
        long maxAge = Math.max(0, (expiresAt - System.currentTimeMillis()) / 1000);
        String csrf = Sessions.csrfToken(token);
        exchange.addResponseHeader("Set-Cookie", Sessions.setSession(client, token, maxAge));
        exchange.addResponseHeader("Set-Cookie", Sessions.setCsrf(client, csrf, maxAge));
        exchange.responseHeader("Cache-Control", "no-store");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", identity.subject());
        body.put("csrfToken", csrf);
        body.put("expiresInSeconds", maxAge);
        send(exchange, 200, JSON_UTF8, BffBodies.MAPPER.writeValueAsBytes(body));
    }

    private void logout(BffExchange exchange) throws IOException {
        String client = exchange.module.module().client();
        exchange.template = exchange.path;
        if (readBody(exchange) == null) return;
        if (!passes(exchange, Phase.REQUEST)) return;
        if (exchange.sessionToken != null && exchange.requestHeader("authorization") == null
                && !Sessions.csrfMatches(exchange.sessionToken, exchange.requestHeader(Sessions.CSRF_HEADER))) {
            problem(exchange, Problem.of(403, "csrf", "CSRF token missing or wrong", "send the csrfToken the login answered in the "
                    + Sessions.CSRF_HEADER + " header"));
            return;
        }
        exchange.addResponseHeader("Set-Cookie", Sessions.clearSession(client));
        exchange.addResponseHeader("Set-Cookie", Sessions.clearCsrf(client));
        exchange.responseHeader("Cache-Control", "no-store");
        sendEmpty(exchange, 204);
    }

    /** The body, at most server.max_body_bytes, within server.body_read_timeout; null when answered (413, 408, 400). */
    private byte[] readBody(BffExchange exchange) {
        long limit = host.server.maxBodyBytes();
        if (exchange.contentLength() > limit) {
            exchange.responseHeader("Connection", "close");
            problem(exchange, Problem.of(413, "too-large", "Body too large", "the request body is larger than " + limit + " bytes"));
            return null;
        }
        try {
            return exchange.readBody(limit, host.server.bodyReadTimeout());
        } catch (BffExchange.BodyProblem e) {
            exchange.responseHeader("Connection", "close");
            switch (e.kind) {
                case TOO_SLOW -> problem(exchange, Problem.of(408, "timeout", "Body too slow",
                        "the request body did not arrive in time; send it at once after the headers"));
                case TOO_LARGE -> problem(exchange, Problem.of(413, "too-large", "Body too large", "the request body is larger than " + limit + " bytes"));
                case INCOMPLETE -> problem(exchange, Problem.of(400, "bad-body", "Bad request", "the request body could not be read whole (larger than "
                        + limit + " bytes, or cut off)"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.responseHeader("Connection", "close");
            problem(exchange, Problem.of(503, "unavailable", "Unavailable", "the router is stopping"));
        }
        return null;
    }

    private void problem(BffExchange exchange, Problem problem) {
        byte[] body;
        try {
            body = BffBodies.MAPPER.writeValueAsBytes(problem.body(exchange.path, exchange.id));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem body did not serialize", e);
        }
        if (!exchange.hasResponseHeader("Cache-Control")) exchange.responseHeader("Cache-Control", "no-store");
        send(exchange, problem.status(), Problem.CONTENT_TYPE, body);
    }

    private static void send(BffExchange exchange, int status, String contentType, byte[] body) {
        exchange.send(status, contentType, body);
    }

    private static void sendEmpty(BffExchange exchange, int status) {
        exchange.sendEmpty(status);
    }
}
