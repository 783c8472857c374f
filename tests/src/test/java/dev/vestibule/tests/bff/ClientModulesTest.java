package dev.vestibule.tests.bff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.bff.mobile.MobileModule;
import dev.vestibule.bff.mobile.graphql.HomeQuery;
import dev.vestibule.bff.web.WebModule;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.tests.testkit.Tokens;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real client modules (bff-mobile's MobileModule, bff-web's WebModule, with their generated operations) mounted
 * in a gateway in front of the sample subgraphs, over real sockets: each route's shape against what GraphQL answers
 * for the same data, their policies under injected faults, bearer identity for mobile, the session login, CSRF and
 * 401 for web.
 */
class ClientModulesTest {
    private static BffGraph graph;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        graph = new BffGraph(BffHostTest.config(dir), List.of(new MobileModule(), new WebModule()));
    }

    @AfterAll
    static void stop() {
        if (graph != null) graph.close();
    }

    @AfterEach
    void heal() {
        graph.healAll();
    }

    private static String bearer(String subject) {
        return Tokens.bearer(BffHostTest.token(subject));
    }

    private static void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(BffGraph.json(response).get("status").asInt()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("127.0.0.1", "Exception", "at dev.");
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.get(field).asText()));
        return values;
    }

    @Test
    void mobileHomeIsTheBestSellersAsCompactCardsAndTheSignedInUserSmallerThanTheGraphQLAnswer() throws Exception {
        String token = bearer("u1");
        HttpResponse<String> home = graph.get("/mobile/v1/home?first=4", "authorization", token);
        assertThat(home.statusCode()).as(home.body()).isEqualTo(200);
        JsonNode body = BffGraph.json(home);
        HttpResponse<String> rawResponse = graph.post("/graphql", BffGraph.JSON.writeValueAsString(
                Map.of("query", HomeQuery.DOCUMENT, "variables", Map.of("first", 4))), "authorization", token);
        JsonNode raw = BffGraph.json(rawResponse).get("data");
        assertThat(body.get("user").asText()).isEqualTo(raw.at("/me/username").asText());
        assertThat(texts(body.get("products"), "upc")).isEqualTo(texts(raw.get("topProducts"), "upc"));
        assertThat(texts(body.get("products"), "name")).isEqualTo(texts(raw.get("topProducts"), "name"));
        JsonNode first = body.get("products").get(0);
        assertThat(first.get("priceCents").asInt()).isEqualTo(raw.at("/topProducts/0/price").asInt());
        assertThat(first.get("thumb").asText()).isEqualTo(raw.at("/topProducts/0/coverImage/url").asText());
        assertThat(first.has("coverImage")).isFalse();
        assertThat(home.headers().firstValue("cache-control")).hasValue("private, max-age=60");
        assertThat(home.headers().firstValue("etag")).isPresent();
        assertProblem(graph.get("/mobile/v1/home?first=99"), 400);
        int bffBytes = home.body().getBytes(StandardCharsets.UTF_8).length;
        int rawBytes = rawResponse.body().getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("ClientModulesTest: /mobile/v1/home?first=4 %d bytes, the same operation's GraphQL answer %d bytes%n", bffBytes, rawBytes);
        assertThat(bffBytes).isLessThan(rawBytes);
    }

    @Test
    void mobileHomeWithoutMediaIsPartialWithTheGapNamed() throws Exception {
        graph.subgraph("media").setFaults(FaultSettings.NONE.withHttp500Rate(1));
        HttpResponse<String> home = graph.get("/mobile/v1/home?first=3", "authorization", bearer("u1"));
        assertThat(home.statusCode()).as(home.body()).isEqualTo(200);
        JsonNode body = BffGraph.json(home);
        assertThat(body.get("products")).hasSize(3);
        assertThat(body.get("products").get(0).has("thumb")).isFalse();
        assertThat(body.get("gaps").findValuesAsText("section")).anyMatch(s -> s.contains("coverImage"));
        assertThat(home.body()).doesNotContain("127.0.0.1");
    }

    @Test
    void mobileProductIsCompactAndFallsBackToTheLastGoodAnswerWhenReviewsFail() throws Exception {
        HttpResponse<String> product = graph.get("/mobile/v1/products/100001");
        assertThat(product.statusCode()).as(product.body()).isEqualTo(200);
        JsonNode body = BffGraph.json(product);
        JsonNode raw = BffGraph.json(graph.graphql("{ product(upc: \"100001\") { name price reviewCount reviews(first: 3) { edges { node { id author { username } } } } } }"))
                .at("/data/product");
        assertThat(body.get("upc").asText()).isEqualTo("100001");
        assertThat(body.get("name").asText()).isEqualTo(raw.get("name").asText());
        assertThat(body.get("priceCents").asInt()).isEqualTo(raw.get("price").asInt());
        assertThat(body.get("reviewCount").asInt()).isEqualTo(raw.get("reviewCount").asInt());
        assertThat(texts(body.get("reviews"), "id")).isEqualTo(raw.at("/reviews/edges").findValuesAsText("id"));
        assertThat(body.get("reviews").size()).isLessThanOrEqualTo(3);
        if (!body.get("reviews").isEmpty()) {
            assertThat(body.get("reviews").get(0).get("by").asText()).isEqualTo(raw.at("/reviews/edges/0/node/author/username").asText());
        }
        assertThat(product.headers().firstValue("cache-control")).hasValue("private, max-age=30");
        assertThat(graph.get("/mobile/v1/products/100001", "if-none-match", product.headers().firstValue("etag").orElseThrow()).statusCode())
                .isEqualTo(304);
        assertProblem(graph.get("/mobile/v1/products/no-such-upc"), 404);

        graph.subgraph("reviews").setFaults(FaultSettings.NONE.withHttp500Rate(1));
        HttpResponse<String> stale = graph.get("/mobile/v1/products/100001");
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(200);
        assertThat(stale.headers().firstValue("vestibule-fallback")).hasValue("last-good");
        assertThat(stale.body()).isEqualTo(product.body());
        // a product never answered well has no last good answer and no static default: a problem
        assertProblem(graph.get("/mobile/v1/products/100003"), 502);
    }

    @Test
    void mobileReviewNeedsABearerTokenAndIsWrittenAsItsAuthor() throws Exception {
        String review = "{\"rating\": 5, \"title\": \"Great\", \"text\": \"Works as described\"}";
        assertProblem(graph.post("/mobile/v1/products/100002/reviews", review), 401);
        assertProblem(graph.post("/mobile/v1/products/100002/reviews", "{\"rating\": 9, \"text\": \"x\"}", "authorization", bearer("u2")), 400);
        HttpResponse<String> created = graph.post("/mobile/v1/products/100002/reviews", review, "authorization", bearer("u2"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode body = BffGraph.json(created);
        assertThat(body.get("id").asText()).isNotEmpty();
        assertThat(body.get("rating").asInt()).isEqualTo(5);
        assertThat(body.get("status").asText()).isNotEmpty();
        // the graph has it, written by the token's subject
        JsonNode written = BffGraph.json(graph.graphql("{ review(id: \"" + body.get("id").asText() + "\") { rating title author { id } } }"));
        assertThat(written.at("/data/review/title").asText()).as(written.toString()).isEqualTo("Great");
        assertThat(written.at("/data/review/author/id").asText()).isEqualTo("u2");
    }

    @Test
    void webLogsInIntoASessionAndServesTheDashboardAndTheFullProductPage() throws Exception {
        assertProblem(graph.get("/web/dashboard"), 401);
        HttpResponse<String> login = graph.post("/web/login", "{}", "authorization", bearer("u1"));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String csrf = BffGraph.json(login).get("csrfToken").asText();
        String session = login.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("__Host-web-session="))
                .findFirst().orElseThrow();
        assertThat(session).contains("HttpOnly", "Secure", "SameSite=Strict");
        String cookie = session.substring(0, session.indexOf(';'));

        HttpResponse<String> dashboard = graph.get("/web/dashboard", "cookie", cookie);
        assertThat(dashboard.statusCode()).as(dashboard.body()).isEqualTo(200);
        JsonNode board = BffGraph.json(dashboard);
        JsonNode raw = BffGraph.json(graph.graphql("{ me { username email } topProducts(first: 10) { upc } latestReviews(first: 5) { totalCount } featuredMedia(first: 6) { id __typename } }",
                "authorization", bearer("u1"))).get("data");
        assertThat(board.at("/user/username").asText()).isEqualTo(raw.at("/me/username").asText());
        assertThat(board.at("/user/email").asText()).isEqualTo(raw.at("/me/email").asText());
        assertThat(texts(board.get("topProducts"), "upc")).isEqualTo(texts(raw.get("topProducts"), "upc"));
        assertThat(board.get("latestReviewCount").asInt()).isEqualTo(raw.at("/latestReviews/totalCount").asInt());
        assertThat(board.get("latestReviews").size()).isLessThanOrEqualTo(5);
        assertThat(texts(board.get("featuredMedia"), "id")).isEqualTo(texts(raw.get("featuredMedia"), "id"));
        for (JsonNode media : board.get("featuredMedia")) {
            assertThat(media.get("kind").asText()).isIn("image", "video");
            if (media.get("kind").asText().equals("image")) assertThat(media.has("width")).isTrue();
            else assertThat(media.has("durationSeconds")).isTrue();
        }
        assertThat(dashboard.headers().firstValue("cache-control")).hasValue("private, no-cache");

        HttpResponse<String> page = graph.get("/web/products/100001?reviews=2", "cookie", cookie);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        JsonNode product = BffGraph.json(page);
        JsonNode rawProduct = BffGraph.json(graph.graphql("{ product(upc: \"100001\") { name description reviews(first: 2) { totalCount edges { node { id } } } media { id } } }"))
                .at("/data/product");
        assertThat(product.get("name").asText()).isEqualTo(rawProduct.get("name").asText());
        assertThat(product.get("description").asText()).isEqualTo(rawProduct.get("description").asText());
        assertThat(product.get("reviewCount").asInt()).isEqualTo(rawProduct.at("/reviews/totalCount").asInt());
        assertThat(texts(product.get("reviews"), "id")).isEqualTo(rawProduct.at("/reviews/edges").findValuesAsText("id"));
        assertThat(texts(product.get("media"), "id")).isEqualTo(texts(rawProduct.get("media"), "id"));
        assertThat(product.has("stock")).isTrue();
        assertThat(texts(product.get("recommendations"), "upc")).doesNotContain("100001");
        if (rawProduct.at("/reviews/totalCount").asInt() > 2) {
            // the next page, by the cursor the page gave
            JsonNode next = BffGraph.json(graph.get("/web/products/100001?reviews=2&after=" + product.get("reviewsCursor").asText(), "cookie", cookie));
            assertThat(texts(next.get("reviews"), "id")).doesNotContainAnyElementsOf(texts(product.get("reviews"), "id"));
        }
        assertProblem(graph.get("/web/products/100001?reviews=0", "cookie", cookie), 400);

        // logging out is state-changing: the CSRF token is needed
        assertProblem(graph.post("/web/logout", "{}", "cookie", cookie), 403);
        HttpResponse<String> logout = graph.post("/web/logout", "{}", "cookie", cookie, "x-csrf-token", csrf);
        assertThat(logout.statusCode()).isEqualTo(204);
        assertThat(logout.headers().allValues("set-cookie")).anyMatch(c -> c.startsWith("__Host-web-session=;") && c.contains("Max-Age=0"));
    }

    @Test
    void webDashboardWithoutAccountsIsPartialWithTheUserNamedAsTheGap() throws Exception {
        HttpResponse<String> login = graph.post("/web/login", "{}", "authorization", bearer("u1"));
        String session = login.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("__Host-web-session="))
                .findFirst().orElseThrow();
        graph.subgraph("accounts").setFaults(FaultSettings.NONE.withHttp500Rate(1));
        HttpResponse<String> dashboard = graph.get("/web/dashboard", "cookie", session.substring(0, session.indexOf(';')));
        assertThat(dashboard.statusCode()).as(dashboard.body()).isEqualTo(200);
        JsonNode board = BffGraph.json(dashboard);
        assertThat(board.get("gaps").findValuesAsText("section")).anyMatch(s -> s.startsWith("me"));
        assertThat(board.has("user")).isFalse();
        assertThat(board.get("topProducts")).isNotEmpty();
        assertThat(board.get("latestReviews")).isNotEmpty();
        assertThat(board.get("featuredMedia")).isNotEmpty();
        assertThat(dashboard.headers().firstValue("cache-control")).hasValue("no-store");
    }

    @Test
    void webSearchListsProductsUsersAndReviewsAsTheGraphQLAnswerHasThem() throws Exception {
        String title = BffGraph.json(graph.graphql("{ latestReviews(first: 1) { edges { node { title } } } }"))
                .at("/data/latestReviews/edges/0/node/title").asText();
        for (String text : List.of("Robot", "wirth", title)) {
            String q = URLEncoder.encode(text, StandardCharsets.UTF_8);
            HttpResponse<String> search = graph.get("/web/search?first=20&q=" + q);
            assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
            JsonNode hits = BffGraph.json(search).get("results");
            JsonNode raw = BffGraph.json(graph.post("/graphql", BffGraph.JSON.writeValueAsString(Map.of("query",
                    "query($t: String!) { search(text: $t, first: 20) { __typename ... on Product { upc name price coverImage { url } } "
                            + "... on User { username } ... on Review { id title rating } } }", "variables", Map.of("t", text))))).at("/data/search");
            assertThat(hits.size()).as(text).isEqualTo(raw.size()).isPositive();
            for (int i = 0; i < raw.size(); i++) {
                JsonNode hit = hits.get(i);
                JsonNode expected = raw.get(i);
                switch (expected.get("__typename").asText()) {
                    case "Product" -> {
                        assertThat(hit.get("kind").asText()).isEqualTo("product");
                        assertThat(hit.get("upc").asText()).isEqualTo(expected.get("upc").asText());
                        assertThat(hit.get("priceCents").asInt()).isEqualTo(expected.get("price").asInt());
                        assertThat(hit.get("image").asText()).isEqualTo(expected.at("/coverImage/url").asText());
                        assertThat(hit.has("username")).isFalse();
                    }
                    case "User" -> {
                        assertThat(hit.get("kind").asText()).isEqualTo("user");
                        assertThat(hit.get("username").asText()).isEqualTo(expected.get("username").asText());
                        assertThat(hit.has("upc")).isFalse();
                    }
                    case "Review" -> {
                        assertThat(hit.get("kind").asText()).isEqualTo("review");
                        assertThat(hit.get("reviewId").asText()).isEqualTo(expected.get("id").asText());
                        assertThat(hit.get("title").asText()).isEqualTo(expected.get("title").asText());
                    }
                    default -> throw new AssertionError("unexpected kind " + expected);
                }
            }
            assertThat(search.headers().firstValue("cache-control")).hasValue("private, max-age=60");
        }
        assertThat(texts(BffGraph.json(graph.get("/web/search?q=wirth")).get("results"), "kind")).contains("user");
        assertProblem(graph.get("/web/search"), 400);
        assertProblem(graph.get("/web/search?q=Robot&first=0"), 400);
        // without media the hits still come, without their images, and the gap is named
        graph.subgraph("media").setFaults(FaultSettings.NONE.withHttp500Rate(1));
        HttpResponse<String> partial = graph.get("/web/search?q=Robot");
        assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
        JsonNode body = BffGraph.json(partial);
        assertThat(body.get("results")).isNotEmpty();
        assertThat(body.get("results").get(0).has("image")).isFalse();
        assertThat(body.get("gaps").findValuesAsText("section")).anyMatch(s -> s.contains("coverImage"));
    }

    @Test
    void eachClientHasItsOpenApiDocumentWithItsRoutes() throws Exception {
        JsonNode mobile = BffGraph.json(graph.get("/mobile/openapi.json"));
        assertThat(mobile.get("openapi").asText()).startsWith("3.1");
        assertThat(mobile.get("paths").has("/mobile/v1/home")).isTrue();
        assertThat(mobile.at("/paths/~1mobile~1v1~1products~1{upc}~1reviews/post").isMissingNode()).isFalse();
        JsonNode web = BffGraph.json(graph.get("/web/openapi.json"));
        assertThat(web.get("paths").has("/web/dashboard")).isTrue();
        assertThat(web.at("/paths/~1web~1products~1{upc}/get").isMissingNode()).isFalse();
        assertThat(web.at("/paths/~1web~1login/post").isMissingNode()).isFalse();
        JsonNode search = web.at("/paths/~1web~1search/get");
        assertThat(search.isMissingNode()).isFalse();
        assertThat(search.get("parameters").findValuesAsText("name")).contains("q", "first");
    }
}
