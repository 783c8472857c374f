package dev.vestibule.router.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.middleware.EdgeFilter.Phase;
import dev.vestibule.router.operation.Caller;
import dev.vestibule.router.operation.GraphQLRequest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each edge filter on its own, against a request made here (no HTTP server): what it decides, what it records on the
 * request, which response headers it adds; and the chain's order. The same checks over real sockets are in the
 * tests module (BrowserPolicyTest, AuthenticationTest, PersistedQueriesTest, RateLimitTest, HeaderRulesTest).
 */
class EdgeFiltersTest {
    /** A request at the edge as any route would make it: method, path, headers, address. */
    static final class TestRequest extends EdgeRequest {
        final String method;
        final Map<String, String> headers = new LinkedHashMap<>();
        final Map<String, String> responseHeaders = new LinkedHashMap<>();

        TestRequest(String method, String... headers) {
            this.method = method;
            for (int i = 0; i < headers.length; i += 2) this.headers.put(headers[i].toLowerCase(Locale.ROOT), headers[i + 1]);
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String path() {
            return "/graphql";
        }

        @Override
        public String remoteAddress() {
            return "10.0.0.7";
        }

        @Override
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public Map<String, String> headers() {
            return headers;
        }

        @Override
        public void responseHeader(String name, String value) {
            responseHeaders.put(name, value);
        }
    }

    private static final BrowserPolicy ALLOWS_APP = new BrowserPolicy(List.of("https://app.example"), true,
            BrowserPolicy.DEFAULTS.allowedHeaders(), Duration.ofMinutes(10), true, BrowserPolicy.DEFAULTS.csrfRequiredHeaders());

    @Test
    void corsAnswersPreflightsAndMarksEveryOtherAnswer() {
        CorsFilter cors = new CorsFilter(ALLOWS_APP);
        assertThat(cors.phase()).isEqualTo(Phase.REQUEST);

        Decision granted = cors.apply(new TestRequest("OPTIONS", "origin", "https://app.example"));
        assertThat(granted).isInstanceOfSatisfying(Decision.Respond.class, r -> {
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.headers()).containsEntry("Access-Control-Allow-Origin", "https://app.example")
                    .containsEntry("Access-Control-Allow-Methods", "GET, POST, OPTIONS").containsEntry("Access-Control-Max-Age", "600");
        });
        Decision refused = cors.apply(new TestRequest("OPTIONS", "origin", "https://evil.example"));
        assertThat(refused).isInstanceOfSatisfying(Decision.Reject.class, r -> {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.code()).isEqualTo("CORS_ORIGIN_NOT_ALLOWED");
            assertThat(r.headers()).containsEntry("Vary", "Origin");
        });

        TestRequest post = new TestRequest("POST", "origin", "https://app.example");
        assertThat(cors.apply(post)).isSameAs(Decision.CONTINUE);
        assertThat(post.responseHeaders).containsEntry("Access-Control-Allow-Origin", "https://app.example")
                .containsEntry("Access-Control-Allow-Credentials", "true").containsEntry("Vary", "Origin");
        TestRequest other = new TestRequest("POST", "origin", "https://evil.example");
        assertThat(cors.apply(other)).isSameAs(Decision.CONTINUE);
        assertThat(other.responseHeaders).containsOnlyKeys("Vary");
    }

    @Test
    void csrfRefusesSimpleRequestsWithoutAPreflightHeader() {
        CsrfFilter csrf = new CsrfFilter(BrowserPolicy.DEFAULTS);
        assertThat(csrf.apply(new TestRequest("POST", "content-type", "text/plain"))).isInstanceOfSatisfying(Decision.Reject.class, r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.code()).isEqualTo("CSRF_PREVENTED");
            assertThat(r.requestError()).isFalse();
        });
        assertThat(csrf.apply(new TestRequest("GET"))).isInstanceOf(Decision.Reject.class);
        assertThat(csrf.apply(new TestRequest("POST", "content-type", "application/json"))).isSameAs(Decision.CONTINUE);
        assertThat(csrf.apply(new TestRequest("GET", "apollo-require-preflight", "true"))).isSameAs(Decision.CONTINUE);
    }

    @Test
    void authenticationIdentifiesTheCallerOrRefusesWithAChallenge() {
        String key = "a-key-of-the-consumer-acme";
        AuthenticationSettings settings = new AuthenticationSettings(AuthenticationSettings.Mode.REQUIRED, "authorization",
                Duration.ofSeconds(60), 8192, List.of(), "x-api-key",
                List.of(new AuthenticationSettings.ApiKey(HexFormat.of().formatHex(Authenticator.sha256(key)), "acme", "gold")),
                Map.of("sub", "x-user-id"), List.of(), Map.of());
        AuthorizationPolicies policies = AuthorizationPolicies.parse(Map.of("gold", "claim.plan == 'gold'"), false);
        try (Authenticator authenticator = new Authenticator(settings)) {
            AuthenticationFilter filter = new AuthenticationFilter(authenticator, policies);

            TestRequest anonymous = new TestRequest("POST");
            assertThat(filter.apply(anonymous)).isInstanceOfSatisfying(Decision.Reject.class, r -> {
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.code()).isEqualTo("UNAUTHENTICATED");
                assertThat(r.headers()).containsKey("WWW-Authenticate");
            });
            assertThat(anonymous.identity()).isNull();

            TestRequest known = new TestRequest("POST", "x-api-key", key);
            assertThat(filter.apply(known)).isSameAs(Decision.CONTINUE);
            assertThat(known.identity().consumer()).isEqualTo("acme");
            assertThat(known.identityHeaders()).containsEntry("x-user-id", "acme");
            assertThat(known.caller()).isEqualTo(new Caller(true, Set.of(), Set.of("gold")));
            // with no header rules, each subgraph receives the identity's headers
            assertThat(known.subgraphHeaders().apply("accounts")).isEqualTo(Map.of("x-user-id", "acme"));
        }
    }

    @Test
    void persistedOperationsSupplyTheTextOrRefuseAsARequestError() {
        try (PersistedQueries persisted = PersistedQueries.defaults()) {
            PersistedOperationsFilter filter = new PersistedOperationsFilter(persisted);
            assertThat(filter.phase()).isEqualTo(Phase.OPERATION);
            String query = "{ me { id } }";
            String hash = PersistedQueries.sha256(query);
            Map<String, Object> extensions = Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash));

            TestRequest unknown = new TestRequest("GET");
            unknown.operation(new GraphQLRequest(null, null, null, extensions));
            assertThat(filter.apply(unknown)).isInstanceOfSatisfying(Decision.Reject.class, r -> {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.message()).isEqualTo("PersistedQueryNotFound");
                assertThat(r.code()).isEqualTo("PERSISTED_QUERY_NOT_FOUND");
                assertThat(r.requestError()).isTrue();
            });

            TestRequest registering = new TestRequest("POST");
            registering.operation(new GraphQLRequest(query, null, null, extensions));
            assertThat(filter.apply(registering)).isSameAs(Decision.CONTINUE);

            TestRequest byHash = new TestRequest("GET");
            byHash.operation(new GraphQLRequest(null, null, null, extensions));
            assertThat(filter.apply(byHash)).isSameAs(Decision.CONTINUE);
            assertThat(byHash.operation().query()).isEqualTo(query);

            TestRequest mismatch = new TestRequest("POST");
            mismatch.operation(new GraphQLRequest("{ other }", null, null, extensions));
            assertThat(filter.apply(mismatch)).isInstanceOfSatisfying(Decision.Reject.class,
                    r -> assertThat(r.code()).isEqualTo("PERSISTED_QUERY_HASH_MISMATCH"));
        }
    }

    @Test
    void rateLimitsSpendATokenPerRequestAndSayWhatIsLeft() {
        RateLimitSettings settings = new RateLimitSettings(RateLimitSettings.Backend.MEMORY, null, Duration.ofMillis(200), true,
                List.of(), List.of(new RateLimitSettings.Rule("per-ip", List.of("ip"),
                        new RateLimitSettings.Limit(2, Duration.ofHours(1), 2), Map.of())));
        try (RateLimiter limiter = new RateLimiter(settings)) {
            RateLimitFilter filter = new RateLimitFilter(limiter);
            assertThat(filter.phase()).isEqualTo(Phase.ADMISSION);
            TestRequest first = operation("{ a }");
            assertThat(filter.apply(first)).isSameAs(Decision.CONTINUE);
            assertThat(first.responseHeaders).containsEntry("RateLimit-Limit", "2").containsEntry("RateLimit-Remaining", "1");
            assertThat(filter.apply(operation("{ a }"))).isSameAs(Decision.CONTINUE);
            assertThat(filter.apply(operation("{ a }"))).isInstanceOfSatisfying(Decision.Reject.class, r -> {
                assertThat(r.status()).isEqualTo(429);
                assertThat(r.code()).isEqualTo("RATE_LIMITED");
                assertThat(r.headers()).containsKey("Retry-After").containsEntry("RateLimit-Remaining", "0");
            });
        }
    }

    @Test
    void headerRulesChooseWhatEachSubgraphReceives() {
        HeaderRules rules = new HeaderRules(List.of(new HeaderRules.Propagate("x-tenant", null, null, null)),
                Map.of("reviews", List.of(new HeaderRules.Insert("x-source", "router"))));
        SubgraphHeadersFilter filter = new SubgraphHeadersFilter(rules);
        TestRequest request = operation("{ a }", "x-tenant", "t1", "x-other", "o");
        assertThat(filter.apply(request)).isSameAs(Decision.CONTINUE);
        assertThat(request.subgraphHeaders().apply("accounts")).isEqualTo(Map.of("x-tenant", "t1"));
        assertThat(request.subgraphHeaders().apply("reviews")).isEqualTo(Map.of("x-tenant", "t1", "x-source", "router"));
    }

    @Test
    void theChainRunsOnePhaseInOrderAndStopsAtTheFirstRefusal() {
        try (EdgePolicy policy = EdgePolicy.open()) {
            EdgeChain chain = EdgeChain.of(policy);
            assertThat(chain.filters()).extracting(f -> f.getClass().getSimpleName()).containsExactly(
                    "CorsFilter", "CsrfFilter", "AuthenticationFilter", "PersistedOperationsFilter", "SubgraphHeadersFilter");
            // CSRF refuses before authentication runs; the CORS headers are already on the answer
            TestRequest simple = new TestRequest("POST", "content-type", "text/plain");
            assertThat(chain.run(Phase.REQUEST, simple)).isInstanceOfSatisfying(Decision.Reject.class,
                    r -> assertThat(r.code()).isEqualTo("CSRF_PREVENTED"));
            assertThat(simple.responseHeaders).containsEntry("Vary", "Origin");
            // OPERATION filters do not run in the REQUEST phase: a request with no operation passes it
            TestRequest json = new TestRequest("POST", "content-type", "application/json");
            assertThat(chain.run(Phase.REQUEST, json)).isSameAs(Decision.CONTINUE);
            assertThat(json.caller()).isEqualTo(Caller.ANONYMOUS);
        }
    }

    /** A route that is not /graphql (a BFF route) runs the same phases before it knows any GraphQL request. */
    @Test
    void aRouteWithoutAGraphQLRequestRunsEveryPhase() {
        RateLimitSettings settings = new RateLimitSettings(RateLimitSettings.Backend.MEMORY, null, Duration.ofMillis(200), true,
                List.of(), List.of(new RateLimitSettings.Rule("per-operation", List.of("operation", "ip"),
                        new RateLimitSettings.Limit(1, Duration.ofHours(1), 1), Map.of())));
        try (EdgePolicy policy = EdgePolicy.of(BrowserPolicy.DEFAULTS, AuthenticationSettings.OFF, settings)) {
            EdgeChain chain = EdgeChain.of(policy);
            TestRequest request = new TestRequest("GET", "apollo-require-preflight", "true");
            assertThat(chain.run(Phase.REQUEST, request)).isSameAs(Decision.CONTINUE);
            assertThat(chain.run(Phase.OPERATION, request)).isSameAs(Decision.CONTINUE);
            assertThat(chain.run(Phase.ADMISSION, request)).isSameAs(Decision.CONTINUE);
            assertThat(chain.run(Phase.ADMISSION, new TestRequest("GET"))).isInstanceOfSatisfying(Decision.Reject.class,
                    r -> assertThat(r.status()).isEqualTo(429));
        }
    }

    private static TestRequest operation(String query, String... headers) {
        TestRequest request = new TestRequest("POST", headers);
        request.operation(new GraphQLRequest(query, null, null, null));
        return request;
    }
}
