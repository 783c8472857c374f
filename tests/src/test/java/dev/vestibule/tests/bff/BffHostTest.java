package dev.vestibule.tests.bff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.bff.BffHost;
import dev.vestibule.router.bff.BffModule;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.pipeline.GatewayObserver;
import dev.vestibule.router.server.VestibuleServer;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.RequestLog;
import dev.vestibule.tests.testkit.Tokens;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BFF host over real sockets: test-only modules (FixtureModules, with hand-written operations) mounted in a
 * gateway in front of the sample subgraphs, their faults injected per test. Each route policy (fail, partial,
 * fallback, deadline, caching, rate limit), identity (bearer, session cookie with CSRF), isolation (a module's
 * exception, its concurrency bound) and the OpenAPI document.
 */
class BffHostTest {
    private static BffGraph graph;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        graph = new BffGraph(config(dir), List.of(new FixtureModules.Shop(), new FixtureModules.Slow(), new FixtureModules.Desk()));
    }

    /** Optional authentication with the test issuer's HS256 tokens, the subject forwarded as x-user-id. */
    static final String AUTHENTICATION = """
            authentication:
              mode: optional
              jwt:
                issuers:
                  - issuer: %s
                    secret: %s
                    algorithms: [HS256]
              forward_claims:
                sub: x-user-id
            """.formatted(Tokens.ISSUER, Tokens.SECRET);

    static RouterConfig config(Path dir) throws Exception {
        return RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), AUTHENTICATION));
    }

    @AfterAll
    static void stop() {
        if (graph != null) graph.close();
    }

    @AfterEach
    void heal() {
        graph.healAll();
    }

    /** An HS256 token for {@code subject}, good for ten minutes, from the issuer the config trusts. */
    static String token(String subject) {
        return Tokens.hs256(Tokens.SECRET, Tokens.claims(subject, Duration.ofMinutes(10))
                .issueTime(new Date(System.currentTimeMillis() - 1000)).build());
    }

    private static void fault(String subgraph, FaultSettings faults) {
        graph.subgraph(subgraph).setFaults(faults);
    }

    private static void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = BffGraph.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).startsWith("https://");
        assertThat(problem.get("title").asText()).isNotEmpty();
        // never a subgraph's address, a stack trace or an exception's text
        assertThat(response.body()).doesNotContain("127.0.0.1", "Exception", "at dev.", "secret-internal-detail");
    }

    @Test
    void aRouteAnswersTheScreensShapeFromItsOperationRunInProcess() throws Exception {
        HttpResponse<String> home = graph.get("/shop/home?first=2");
        assertThat(home.statusCode()).as(home.body()).isEqualTo(200);
        JsonNode body = BffGraph.json(home);
        assertThat(body.get("products")).hasSize(2);
        assertThat(body.get("products").get(0).get("upc").asText()).startsWith("10");
        assertThat(body.get("products").get(0).get("priceCents").isInt()).isTrue();
        assertThat(body.get("greeting").asText()).startsWith("Hello, ");
        // the same data as GraphQL answers it
        JsonNode raw = BffGraph.json(graph.graphql("{ topProducts(first: 2) { upc name price } me { username } }"));
        assertThat(body.get("products").get(1).get("title").asText()).isEqualTo(raw.at("/data/topProducts/1/name").asText());
        assertThat(home.headers().firstValue("x-request-id")).isPresent();
    }

    @Test
    void aGoodGetCarriesCacheControlAndAnETagAndAMatchingConditionalGetIs304() throws Exception {
        HttpResponse<String> first = graph.get("/shop/home");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("cache-control")).hasValue("private, max-age=30");
        String etag = first.headers().firstValue("etag").orElseThrow();
        HttpResponse<String> again = graph.get("/shop/home", "if-none-match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("etag")).hasValue(etag);
        HttpResponse<String> other = graph.get("/shop/home", "if-none-match", "\"something-else\"");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(first.body());
    }

    @Test
    void partialPolicyAnswers200WithTheMissingSectionsNamedInGaps() throws Exception {
        fault("reviews", FaultSettings.NONE.withHttp500Rate(1));
        fault("media", FaultSettings.NONE.withHttp500Rate(1));
        HttpResponse<String> response = graph.get("/shop/products/100001");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = BffGraph.json(response);
        assertThat(body.get("upc").asText()).isEqualTo("100001");
        assertThat(body.get("title").asText()).isNotEmpty();
        assertThat(body.has("rating")).isFalse();
        assertThat(body.has("coverUrl")).isFalse();
        List<String> sections = body.get("gaps").findValuesAsText("section");
        assertThat(sections).contains("product.averageRating", "product.coverImage");
        assertThat(body.get("gaps").get(0).get("reason").asText()).isNotEmpty();
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(response.headers().firstValue("etag")).isEmpty();
        assertThat(response.body()).doesNotContain("127.0.0.1");
        // healthy again: the whole product, no gaps
        graph.healAll();
        JsonNode whole = BffGraph.json(graph.get("/shop/products/100001"));
        assertThat(whole.has("gaps")).isFalse();
        assertThat(whole.has("coverUrl")).isTrue();
    }

    @Test
    void failPolicyAnswersAnRfc9457ProblemNamingTheMissingSections() throws Exception {
        fault("products", FaultSettings.NONE.withHttp500Rate(1));
        HttpResponse<String> response = graph.get("/shop/home");
        assertProblem(response, 502);
        JsonNode problem = BffGraph.json(response);
        assertThat(problem.get("gaps").findValuesAsText("section")).contains("topProducts");
        assertThat(problem.get("instance").asText()).isEqualTo("/shop/home");
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
    }

    @Test
    void aRoutesDeadlineCutsASlowSubgraphShortWith504() throws Exception {
        fault("products", FaultSettings.NONE.withLatency(3000, 3000));
        long started = System.nanoTime();
        HttpResponse<String> response = graph.get("/shop/quick/products/100002");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertProblem(response, 504);
        assertThat(BffGraph.json(response).get("type").asText()).endsWith("/deadline");
        // the route's 300 ms deadline, not the subgraph's 3 s (generous: a busy machine may be slow)
        assertThat(tookMillis).isLessThan(2900);
    }

    @Test
    void fallbackPolicyServesTheLastGoodAnswerThenTheStaticDefaultMarkedAsSuch() throws Exception {
        HttpResponse<String> good = graph.get("/shop/steady/home?first=4");
        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(good.headers().firstValue("vestibule-fallback")).isEmpty();
        fault("products", FaultSettings.NONE.withHttp500Rate(1));
        HttpResponse<String> stale = graph.get("/shop/steady/home?first=4");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.headers().firstValue("vestibule-fallback")).hasValue("last-good");
        assertThat(stale.headers().firstValue("age")).isPresent();
        assertThat(stale.body()).isEqualTo(good.body());
        // another key (never answered well): the static default
        HttpResponse<String> fresh = graph.get("/shop/steady/home?first=5");
        assertThat(fresh.statusCode()).isEqualTo(200);
        assertThat(fresh.headers().firstValue("vestibule-fallback")).hasValue("default");
        assertThat(BffGraph.json(fresh).get("greeting").asText()).isEqualTo("Welcome");
        // another caller never gets this caller's last good answer
        HttpResponse<String> someoneElse = graph.get("/shop/steady/home?first=4", "authorization", Tokens.bearer(token("u7")));
        assertThat(someoneElse.headers().firstValue("vestibule-fallback")).hasValue("default");
        assertThat(graph.gateway.bff().stats("shop").fallbacks()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void anExceptionInAModulesCodeAnswersThatRouteWithAProblemAndIsCounted() throws Exception {
        long before = graph.gateway.bff().stats("shop").codeFailures();
        HttpResponse<String> response = graph.get("/shop/boom");
        assertProblem(response, 500);
        assertThat(BffGraph.json(response).get("requestId").asText()).isEqualTo(response.headers().firstValue("x-request-id").orElseThrow());
        assertThat(graph.gateway.bff().stats("shop").codeFailures()).isEqualTo(before + 1);
        // nothing else is disturbed
        assertThat(graph.get("/shop/home").statusCode()).isEqualTo(200);
        assertThat(graph.get("/desk/openapi.json").statusCode()).isEqualTo(200);
        assertThat(graph.graphql("{ topProducts(first: 1) { upc } }").statusCode()).isEqualTo(200);
    }

    @Test
    void aModuleAtItsConcurrencyBoundRefusesMoreAtOnceWhileOtherModulesAndGraphqlServe() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        FixtureModules.Slow.GATE.set(gate);
        FixtureModules.Slow.ENTERED.set(entered);
        try {
            CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return graph.get("/slow/home");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            HttpResponse<String> refused = graph.get("/slow/home");
            assertProblem(refused, 503);
            assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
            assertThat(graph.get("/shop/home").statusCode()).isEqualTo(200);
            assertThat(graph.graphql("{ topProducts(first: 1) { upc } }").statusCode()).isEqualTo(200);
            gate.countDown();
            assertThat(held.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(graph.gateway.bff().stats("slow").overCapacity()).isEqualTo(1);
        } finally {
            gate.countDown();
            FixtureModules.Slow.GATE.set(new CountDownLatch(0));
        }
    }

    @Test
    void aRoutesOwnRateLimitRefusesWith429() throws Exception {
        assertThat(graph.get("/shop/limited").statusCode()).isEqualTo(200);
        assertThat(graph.get("/shop/limited").statusCode()).isEqualTo(200);
        HttpResponse<String> third = graph.get("/shop/limited");
        assertProblem(third, 429);
        assertThat(third.headers().firstValue("retry-after")).isPresent();
        // the limit is this route's: the others still answer
        assertThat(graph.get("/shop/home").statusCode()).isEqualTo(200);
    }

    @Test
    void bearerIdentityIsTheRoutersAndReachesSubgraphsByItsForwardingRules() throws Exception {
        assertProblem(graph.get("/shop/me"), 401);
        assertProblem(graph.get("/shop/me", "authorization", "Bearer not-a-token"), 401);
        graph.subgraph("accounts").requestLog().clear();
        HttpResponse<String> me = graph.get("/shop/me", "authorization", Tokens.bearer(token("u3")));
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(BffGraph.json(me).get("username").asText()).isNotEmpty();
        List<RequestLog.Entry> calls = graph.subgraph("accounts").requestLog().entries();
        assertThat(calls).isNotEmpty();
        assertThat(calls.get(calls.size() - 1).headers()).containsEntry("x-user-id", "u3");
    }

    @Test
    void aStateChangingRouteTakesAJsonBodyAndRefusesBadInputWithAProblem() throws Exception {
        String token = token("u2");
        assertProblem(graph.post("/shop/products/100003/reviews", "{\"rating\": 5, \"text\": \"great\"}"), 401);
        HttpResponse<String> created = graph.post("/shop/products/100003/reviews", "{\"rating\": 5, \"text\": \"great\"}",
                "authorization", "Bearer " + token);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(BffGraph.json(created).get("rating").asInt()).isEqualTo(5);
        assertThat(created.headers().firstValue("cache-control")).hasValue("no-store");
        HttpResponse<String> badRating = graph.post("/shop/products/100003/reviews", "{\"rating\": 9, \"text\": \"x\"}", "authorization", "Bearer " + token);
        assertProblem(badRating, 400);
        assertThat(BffGraph.json(badRating).get("detail").asText()).isEqualTo("rating must be 1 to 5");
        HttpResponse<String> missing = graph.post("/shop/products/100003/reviews", "{\"text\": \"x\"}", "authorization", "Bearer " + token);
        assertProblem(missing, 400);
        assertThat(BffGraph.json(missing).get("detail").asText()).contains("'rating'");
        HttpResponse<String> unknown = graph.post("/shop/products/100003/reviews", "{\"rating\": 3, \"text\": \"x\", \"stars\": 9}",
                "authorization", "Bearer " + token);
        assertProblem(unknown, 400);
        assertThat(BffGraph.json(unknown).get("detail").asText()).contains("'stars'");
        // a form post (what a cross-site page can send without a preflight) never reaches the route
        HttpResponse<String> form = graph.post("/shop/products/100003/reviews", "rating=5", "content-type", "text/plain",
                "authorization", "Bearer " + token);
        assertThat(form.statusCode()).isEqualTo(400);
    }

    @Test
    void unknownPathsAndMethodsUnderAPrefixAreProblems() throws Exception {
        assertProblem(graph.get("/shop/nothing-here"), 404);
        HttpResponse<String> wrongMethod = graph.post("/shop/home", "{}");
        assertProblem(wrongMethod, 405);
        assertThat(wrongMethod.headers().firstValue("allow")).hasValue("GET");
        assertProblem(graph.get("/shop/products/999999"), 404);
    }

    @Test
    void aSessionModuleLogsInWithABearerTokenIntoAnHttpOnlySecureSameSiteCookieAndChecksCsrf() throws Exception {
        assertProblem(graph.get("/desk/me"), 401);
        assertProblem(graph.post("/desk/login", "{}"), 401);
        HttpResponse<String> login = graph.post("/desk/login", "{}", "authorization", Tokens.bearer(token("u5")));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String csrf = BffGraph.json(login).get("csrfToken").asText();
        List<String> cookies = login.headers().allValues("set-cookie");
        String session = cookies.stream().filter(c -> c.startsWith("__Host-desk-session=")).findFirst().orElseThrow();
        assertThat(session).contains("HttpOnly", "Secure", "SameSite=Strict", "Path=/");
        assertThat(cookies).anyMatch(c -> c.startsWith("__Host-desk-csrf=" + csrf) && !c.contains("HttpOnly"));
        String cookie = session.substring(0, session.indexOf(';'));

        HttpResponse<String> me = graph.get("/desk/me", "cookie", cookie);
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(BffGraph.json(me).get("username").asText()).isNotEmpty();

        String review = "{\"rating\": 4, \"text\": \"fine\"}";
        HttpResponse<String> noToken = graph.post("/desk/products/100004/reviews", review, "cookie", cookie);
        assertProblem(noToken, 403);
        assertProblem(graph.post("/desk/products/100004/reviews", review, "cookie", cookie, "x-csrf-token", "forged"), 403);
        HttpResponse<String> created = graph.post("/desk/products/100004/reviews", review, "cookie", cookie, "x-csrf-token", csrf);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

        assertProblem(graph.post("/desk/logout", "{}", "cookie", cookie), 403);
        HttpResponse<String> logout = graph.post("/desk/logout", "{}", "cookie", cookie, "x-csrf-token", csrf);
        assertThat(logout.statusCode()).isEqualTo(204);
        assertThat(logout.headers().allValues("set-cookie")).anyMatch(c -> c.startsWith("__Host-desk-session=;") && c.contains("Max-Age=0"));
        // a forged or tampered cookie is the router's authentication's to refuse
        assertProblem(graph.get("/desk/me", "cookie", "__Host-desk-session=" + token("u5").replace('.', 'x')), 401);
    }

    @Test
    void eachModuleServesAnOpenApi31DocumentOfItsRoutesAndRecordTypes() throws Exception {
        HttpResponse<String> response = graph.get("/shop/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode doc = BffGraph.json(response);
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.at("/info/title").asText()).isEqualTo("shop BFF");
        JsonNode product = doc.at("/paths/~1shop~1products~1{upc}/get");
        assertThat(product.get("operationId").asText()).isEqualTo("getShopProduct");
        assertThat(product.at("/parameters/0/name").asText()).isEqualTo("upc");
        assertThat(product.at("/parameters/0/in").asText()).isEqualTo("path");
        assertThat(product.at("/responses/200/content/application~1json/schema/allOf/0/$ref").asText()).isEqualTo("#/components/schemas/ProductView");
        assertThat(product.at("/responses/304")).isNotNull();
        JsonNode view = doc.at("/components/schemas/ProductView");
        assertThat(view.at("/properties/priceCents/type").asText()).isEqualTo("integer");
        assertThat(view.at("/properties/rating/type").asText()).isEqualTo("number");
        assertThat(view.at("/properties/title/type").asText()).isEqualTo("string");
        JsonNode home = doc.at("/components/schemas/HomeView");
        assertThat(home.at("/properties/products/items/$ref").asText()).isEqualTo("#/components/schemas/Tile");
        assertThat(doc.at("/paths/~1shop~1home/get/parameters/0/name").asText()).isEqualTo("first");
        assertThat(doc.at("/paths/~1shop~1products~1{upc}~1reviews/post/requestBody/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/ReviewBody");
        JsonNode desk = BffGraph.json(graph.get("/desk/openapi.json"));
        assertThat(desk.at("/paths/~1desk~1login/post")).isNotNull();
        assertThat(desk.at("/components/securitySchemes/session/in").asText()).isEqualTo("cookie");
    }

    @Test
    void aReloadWhoseSupergraphBreaksAModulesOperationIsRefusedAndTheOldOneKeepsServing() throws Exception {
        String sdl = BffGraph.supergraphSdl(graph.subgraphs);
        String withoutRating = sdl.lines().filter(line -> !line.trim().startsWith("averageRating:")).reduce("", (a, b) -> a + b + "\n");
        assertThat(withoutRating).isNotEqualTo(sdl);
        assertThatThrownBy(() -> graph.gateway.replace(SupergraphLoader.load(withoutRating)))
                .isInstanceOf(BffHost.BffCheckException.class)
                .hasMessageContaining("BFF module 'shop', operation ShopProduct")
                .hasMessageContaining("averageRating");
        HttpResponse<String> still = graph.get("/shop/products/100001");
        assertThat(still.statusCode()).isEqualTo(200);
        assertThat(BffGraph.json(still).has("rating")).isTrue();
        // a supergraph that keeps every operation working is taken
        graph.gateway.replace(SupergraphLoader.load(sdl));
        assertThat(graph.get("/shop/products/100001").statusCode()).isEqualTo(200);
    }

    @Test
    void aModuleWhoseOperationTheSupergraphCannotServeStopsTheStartNamingModuleAndOperation(@TempDir Path dir) throws Exception {
        List<BffModule> modules = List.of(new FixtureModules.Gone());
        assertThatThrownBy(() -> VestibuleServer.start(SupergraphLoader.load(BffGraph.supergraphSdl(graph.subgraphs)), config(dir),
                GatewayObserver.NONE, RouterServer.listen("127.0.0.1", 0), modules))
                .isInstanceOf(BffHost.BffCheckException.class)
                .hasMessageContaining("BFF module 'gone', operation ShopGone")
                .hasMessageContaining("loyaltyTier");
    }
}
