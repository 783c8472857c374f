package dev.vestibule.samples;

import static dev.vestibule.samples.GraphQLClient.rep;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.samples.data.SampleData;
import dev.vestibule.samples.server.FaultSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each subgraph's own root fields, @requires and @provides inputs, and the mutation, over HTTP. */
class SubgraphQueriesTest {
    private static final SampleData DATA = SampleData.get();
    private static SampleSubgraphs.Running samples;

    @BeforeAll
    static void start() {
        samples = SampleSubgraphs.startAll(0, FaultSettings.NONE);
    }

    @AfterAll
    static void stop() {
        samples.close();
    }

    private static JsonNode query(String subgraph, String query) throws Exception {
        JsonNode answer = GraphQLClient.query(samples.get(subgraph).url(), query);
        assertThat(answer.has("errors")).as("errors from %s: %s", subgraph, answer.get("errors")).isFalse();
        return answer.get("data");
    }

    @Test
    void datasetIsLargeEnoughToBatch() {
        assertThat(DATA.products()).hasSizeGreaterThanOrEqualTo(1_000);
        assertThat(DATA.users()).hasSizeGreaterThanOrEqualTo(200);
        assertThat(DATA.reviews()).hasSizeGreaterThanOrEqualTo(10_000);
        assertThat(DATA.reviews()).allSatisfy(r -> {
            assertThat(DATA.product(r.productUpc())).isNotNull();
            assertThat(DATA.user(r.authorId())).isNotNull();
        });
    }

    @Test
    void accountsPagesThroughUsers() throws Exception {
        JsonNode first = query("accounts", "{ me { id username } users(first: 3) { edges { cursor node { id createdAt } } pageInfo { hasNextPage endCursor } totalCount } }");
        assertThat(first.at("/me/id").asText()).isEqualTo("u1");
        assertThat(first.at("/users/totalCount").asInt()).isEqualTo(SampleData.USERS);
        assertThat(first.at("/users/edges/0/node/createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        String cursor = first.at("/users/pageInfo/endCursor").asText();
        JsonNode next = query("accounts", "{ users(first: 2, after: \"" + cursor + "\") { edges { node { id } } } }");
        assertThat(next.at("/users/edges/0/node/id").asText()).isEqualTo("u4");
    }

    @Test
    void productsFiltersAndSearchesAcrossTypes() throws Exception {
        JsonNode data = query("products", """
                { topProducts(first: 3) { upc salesCount }
                  products(first: 5, filter: { category: BOOKS, maxPrice: 20000 }) { edges { node { category price } } }
                  search(text: "e", first: 400) { __typename ... on Product { upc } ... on User { id } ... on Review { id } } }""");
        assertThat(data.at("/topProducts/0/salesCount").asLong()).isGreaterThanOrEqualTo(data.at("/topProducts/1/salesCount").asLong());
        assertThat(data.at("/products/edges")).allSatisfy(e -> {
            assertThat(e.at("/node/category").asText()).isEqualTo("BOOKS");
            assertThat(e.at("/node/price").asInt()).isLessThanOrEqualTo(20000);
        });
        assertThat(data.at("/search").size()).isEqualTo(400);
        JsonNode users = query("products", "{ search(text: \"ar\", first: 1000) { __typename } }").get("search");
        assertThat(users.findValuesAsText("__typename")).contains("Product", "User");
        JsonNode reviews = query("products", "{ search(text: \"great\", first: 3) { __typename ... on Review { id } } }");
        assertThat(reviews.at("/search/0/__typename").asText()).isEqualTo("Review");
    }

    @Test
    void inventoryComputesFromRequiredFieldsOnly() throws Exception {
        String q = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { shippingEstimate(zip: \"94110\") margin } } }";
        JsonNode cheap = GraphQLClient.query(samples.get("inventory").url(), q, Map.of("r", List.of(
                rep("Product", "upc", "100001", "price", 5000, "weight", 2.0, "costPrice", 3000),
                rep("Product", "upc", "100001", "price", 50000, "weight", 2.0, "costPrice", 3000))));
        // 499 base fee under 100.00, 120 cents a kilogram, 25 per zip zone (9)
        assertThat(cheap.at("/data/_entities/0/shippingEstimate").asInt()).isEqualTo(499 + 240 + 225);
        assertThat(cheap.at("/data/_entities/1/shippingEstimate").asInt()).isEqualTo(240 + 225);
        assertThat(cheap.at("/data/_entities/0/margin").asInt()).isEqualTo(2000);
        JsonNode missing = GraphQLClient.query(samples.get("inventory").url(), q,
                Map.of("r", List.of(rep("Product", "upc", "100001"))));
        assertThat(missing.at("/errors/0/message").asText()).contains("needs Product.price in the representation");
    }

    @Test
    void reviewsProvideAuthorsUsernames() throws Exception {
        JsonNode data = query("reviews", "{ review(id: \"r1\") { author { id username } product { upc } } }");
        String authorId = DATA.review("r1").authorId();
        assertThat(data.at("/review/author/id").asText()).isEqualTo(authorId);
        assertThat(data.at("/review/author/username").asText()).isEqualTo(DATA.user(authorId).username());
        assertThat(data.at("/review/product/upc").asText()).isEqualTo(DATA.review("r1").productUpc());
    }

    @Test
    void mediaListsBothKindsBehindTheInterface() throws Exception {
        JsonNode data = query("media", "{ featuredMedia(first: 3) { __typename id url ... on Video { thumbnail { id } } } media(id: \"vid-8\") { __typename } }");
        assertThat(data.get("featuredMedia").findValuesAsText("__typename")).containsExactly("Image", "Image", "Video");
        assertThat(data.at("/media/__typename").asText()).isEqualTo("Video");
    }

    @Test
    void addReviewStoresAReviewAndRejectsBadInput() throws Exception {
        var reviews = SampleSubgraphs.start("reviews", 0, FaultSettings.NONE);
        try {
            JsonNode added = GraphQLClient.query(reviews.url(), """
                    mutation($input: AddReviewInput!) { addReview(input: $input) { id rating product { upc } } }""",
                    Map.of("input", Map.of("productUpc", "100003", "authorId", "u2", "rating", 4, "body", "Solid.")));
            String id = added.at("/data/addReview/id").asText();
            assertThat(id).isEqualTo("r" + (SampleData.REVIEWS + 1));
            JsonNode read = GraphQLClient.query(reviews.url(), "{ review(id: \"" + id + "\") { body } }");
            assertThat(read.at("/data/review/body").asText()).isEqualTo("Solid.");
            JsonNode rejected = GraphQLClient.query(reviews.url(),
                    "mutation { addReview(input: { productUpc: \"nope\", authorId: \"u2\", rating: 4, body: \"x\" }) { id } }");
            assertThat(rejected.at("/errors/0/message").asText()).contains("no product with upc 'nope'");
            assertThat(rejected.at("/errors/0/extensions/code").asText()).isEqualTo("BAD_USER_INPUT");
        } finally {
            reviews.close();
        }
    }
}
