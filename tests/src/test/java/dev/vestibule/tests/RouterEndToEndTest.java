package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.samples.data.SampleData;
import dev.vestibule.samples.data.SampleData.Product;
import dev.vestibule.samples.data.SampleData.Review;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The router in front of the five sample subgraphs: right answers, with the fewest, batched subgraph calls. */
class RouterEndToEndTest {
    private static final SampleData DATA = SampleData.get();

    @RegisterExtension
    static final FederatedGraph graph = FederatedGraph.forClass(RouterSettings.DEFAULTS);

    private static List<Product> topProducts(int n) {
        return DATA.products().stream().sorted(Comparator.comparingLong(Product::salesCount).reversed()
                .thenComparing(Product::upc)).limit(n).toList();
    }

    @Test
    void aQueryAcrossAllFiveSubgraphsReturnsTheRightDataInQueryOrder() throws Exception {
        JsonNode answer = graph.query("""
                { topProducts(first: 3) {
                    title: name price inStock shippingEstimate(zip: "94110")
                    reviews(first: 2) { totalCount edges { node { rating author { username email } } } }
                    media { __typename title likes }
                    seller { displayName } }
                  me { username } }""");
        assertThat(answer.has("errors")).as("errors: %s", answer.get("errors")).isFalse();
        List<Product> expected = topProducts(3);
        for (int i = 0; i < 3; i++) {
            Product p = expected.get(i);
            JsonNode product = answer.at("/data/topProducts/" + i);
            assertThat(product.get("title").asText()).isEqualTo(p.name());
            assertThat(product.get("price").asInt()).isEqualTo(p.price());
            assertThat(product.get("inStock").asBoolean()).isEqualTo(p.quantity() > 0);
            int expectedShipping = (p.price() > 10_000 ? 0 : 499) + (int) Math.round(p.weightGrams() / 1000.0 * 120) + 9 * 25;
            assertThat(product.get("shippingEstimate").asInt()).isEqualTo(expectedShipping);
            List<Review> reviews = DATA.reviewsOfProduct(p.upc());
            assertThat(product.at("/reviews/totalCount").asInt()).isEqualTo(reviews.size());
            if (!reviews.isEmpty()) {
                String authorId = reviews.get(0).authorId();
                assertThat(product.at("/reviews/edges/0/node/author/username").asText()).isEqualTo(DATA.user(authorId).username());
                assertThat(product.at("/reviews/edges/0/node/author/email").asText()).isEqualTo(DATA.user(authorId).email());
            }
            assertThat(product.at("/media/0/__typename").asText()).isEqualTo("Image");
            assertThat(product.at("/media/0/likes").isInt()).isTrue();
            // field order and aliases as asked; nothing the query did not select (keys, __typename) leaks out
            assertThat(iterable(product.fieldNames())).containsExactly("title", "price", "inStock", "shippingEstimate",
                    "reviews", "media", "seller");
        }
        assertThat(answer.at("/data/me/username").asText()).isEqualTo(DATA.user("u1").username());
    }

    @Test
    void entitiesOfOneTypeAtOneStepCostOneBatchedCall() throws Exception {
        JsonNode answer = graph.query("{ topProducts(first: 20) { reviewCount inStock } }");
        assertThat(answer.has("errors")).isFalse();
        assertThat(graph.subgraph("products").requestLog().totalCount()).isEqualTo(1);
        var reviewsCalls = graph.subgraph("reviews").requestLog().entitiesCalls();
        assertThat(reviewsCalls).singleElement().satisfies(call -> assertThat(call.representations()).isEqualTo(20));
        assertThat(graph.subgraph("inventory").requestLog().entitiesCalls()).singleElement()
                .satisfies(call -> assertThat(call.representations()).isEqualTo(20));
        assertThat(graph.subgraph("accounts").requestLog().totalCount()).isZero();
    }

    @Test
    void representationsAreDeduplicated() throws Exception {
        JsonNode answer = graph.query("{ topProducts(first: 10) { reviews(first: 20) { edges { node { author { email } } } } } }");
        assertThat(answer.has("errors")).isFalse();
        Set<String> authors = new HashSet<>();
        List<Product> top = topProducts(10);
        for (int p = 0; p < top.size(); p++) {
            List<Review> reviews = DATA.reviewsOfProduct(top.get(p).upc());
            for (int r = 0; r < Math.min(20, reviews.size()); r++) {
                authors.add(reviews.get(r).authorId());
                assertThat(answer.at("/data/topProducts/" + p + "/reviews/edges/" + r + "/node/author/email").asText())
                        .isEqualTo(DATA.user(reviews.get(r).authorId()).email());
            }
        }
        var calls = graph.subgraph("accounts").requestLog().entitiesCalls();
        assertThat(calls).singleElement().satisfies(call -> assertThat(call.representations()).isEqualTo(authors.size()));
    }

    @Test
    void providedFieldsAreNotFetchedAgain() throws Exception {
        graph.query("{ latestReviews(first: 5) { edges { node { author { username } } } } }");
        assertThat(graph.subgraph("accounts").requestLog().totalCount()).isZero();
        assertThat(graph.subgraph("reviews").requestLog().totalCount()).isEqualTo(1);
    }

    @Test
    void requiresFieldsTravelInRepresentations() throws Exception {
        JsonNode answer = graph.query("{ product(upc: \"100002\") { margin shippingBox { length } } }");
        Product p = DATA.product("100002");
        assertThat(answer.at("/data/product/margin").asInt()).isEqualTo(p.price() - p.costPrice());
        var call = graph.subgraph("inventory").requestLog().entitiesCalls().get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> representation = ((List<Map<String, Object>>) call.variables().get("representations")).get(0);
        assertThat(representation).containsEntry("price", p.price()).containsEntry("costPrice", p.costPrice());
    }

    @Test
    void aRequiredFieldWithArgumentsTravelsBesideTheClientsOwnSelectionOfIt() throws Exception {
        JsonNode answer = graph.query("{ topProducts(first: 2) { weight shippingEstimate } }");
        assertThat(answer.has("errors")).as("errors: %s", answer.get("errors")).isFalse();
        Product p = topProducts(1).get(0);
        assertThat(answer.at("/data/topProducts/0/weight").asDouble()).isEqualTo(p.weightGrams()); // grams, as asked
        int expected = (p.price() > 10_000 ? 0 : 499) + (int) Math.round(p.weightGrams() / 1000.0 * 120) + 25;
        assertThat(answer.at("/data/topProducts/0/shippingEstimate").asInt()).isEqualTo(expected); // kilograms inside
        assertThat(iterable(answer.at("/data/topProducts/0").fieldNames())).containsExactly("weight", "shippingEstimate");
    }

    @Test
    void aNullRequiredFieldIsSentAsNullNotDropped() throws Exception {
        assertThat(DATA.product("100011").dimensions()).isNull(); // every eleventh product has no dimensions
        JsonNode answer = graph.query("{ product(upc: \"100011\") { name shippingBox { length } } }");
        assertThat(answer.has("errors")).as("errors: %s", answer.get("errors")).isFalse();
        assertThat(answer.at("/data/product/shippingBox").isNull()).isTrue();
        var call = graph.subgraph("inventory").requestLog().entitiesCalls().get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> representation = ((List<Map<String, Object>>) call.variables().get("representations")).get(0);
        assertThat(representation).containsEntry("dimensions", null).containsEntry("upc", "100011");
    }

    @Test
    void unionMembersAndInterfaceObjectsResolveAcrossSubgraphs() throws Exception {
        JsonNode answer = graph.query("""
                { search(text: "great", first: 3) { __typename ... on Review { rating product { name } } }
                  featuredMedia(first: 3) { id likes ... on Video { durationSeconds } } }""");
        assertThat(answer.has("errors")).as("errors: %s", answer.get("errors")).isFalse();
        JsonNode first = answer.at("/data/search/0");
        assertThat(first.get("__typename").asText()).isEqualTo("Review");
        Review review = DATA.reviews().stream().filter(r -> r.title() != null && r.title().toLowerCase().contains("great"))
                .findFirst().orElseThrow();
        assertThat(first.get("rating").asInt()).isEqualTo(review.rating());
        assertThat(first.at("/product/name").asText()).isEqualTo(DATA.product(review.productUpc()).name());
        assertThat(answer.at("/data/featuredMedia/2/durationSeconds").asInt()).isEqualTo(DATA.mediaItem("vid-20").durationSeconds());
        var likesCall = graph.subgraph("reviews").requestLog().entitiesCalls().stream()
                .filter(c -> c.typenames().contains("Media")).findFirst().orElseThrow();
        // sent as the interface, not Image/Video; the Reviews of search may share the request (a BatchFetch: one
        // representations variable per aliased _entities), so the variable that carries the Media holds only Media
        List<?> mediaRepresentations = likesCall.variables().values().stream()
                .filter(v -> v instanceof List<?> list && list.stream().anyMatch(i -> i instanceof Map<?, ?> m && "Media".equals(m.get("__typename"))))
                .map(v -> (List<?>) v).findFirst().orElseThrow();
        assertThat(mediaRepresentations).allSatisfy(i -> assertThat(((Map<?, ?>) i).get("__typename")).isEqualTo("Media"));
        assertThat(likesCall.typenames()).doesNotContain("Image", "Video");
    }

    @Test
    void mutationsRunInDocumentOrder() throws Exception {
        // a product no other test reads the reviews of, so that the added reviews change no other answer
        String upc = DATA.products().get(DATA.products().size() - 1).upc();
        JsonNode answer = graph.query("""
                mutation { a: addReview(input: {productUpc: "%s", authorId: "u3", rating: 5, body: "first"}) { id }
                           b: addReview(input: {productUpc: "%s", authorId: "u4", rating: 1, body: "second"}) { id author { email } } }"""
                .formatted(upc, upc));
        int a = Integer.parseInt(answer.at("/data/a/id").asText().substring(1));
        int b = Integer.parseInt(answer.at("/data/b/id").asText().substring(1));
        assertThat(b).isEqualTo(a + 1);
        assertThat(answer.at("/data/b/author/email").asText()).isEqualTo("user4@example.com");
    }

    @Test
    void inaccessibleElementsAreInvisible() throws Exception {
        JsonNode hidden = graph.query("{ me { internalNotes } }");
        assertThat(hidden.at("/errors/0/message").asText()).contains("internalNotes");
        assertThat(graph.totalSubgraphRequests()).isZero();
        // user u200 has the inaccessible role SYSTEM: the router nulls it as if absent, and no answer names it
        JsonNode system = graph.query("{ user(id: \"u200\") { id role } }");
        assertThat(system.toString()).doesNotContain("SYSTEM");
        assertThat(system.at("/errors/0/message").asText()).isEqualTo("Cannot return null for non-nullable field");
        assertThat(system.at("/errors/0/path").toString()).isEqualTo("[\"user\",\"role\"]");
        assertThat(system.at("/data/user").isNull()).isTrue(); // role is non-null: the null reaches user
    }

    @Test
    void introspectionComesFromTheApiSchema() throws Exception {
        JsonNode answer = graph.query("{ __typename __schema { queryType { name } } __type(name: \"User\") { fields { name } } }");
        assertThat(answer.at("/data/__typename").asText()).isEqualTo("Query");
        assertThat(answer.at("/data/__schema/queryType/name").asText()).isEqualTo("Query");
        assertThat(answer.at("/data/__type/fields").findValuesAsText("name")).contains("email").doesNotContain("internalNotes");
        assertThat(graph.totalSubgraphRequests()).isZero();
    }

    @Test
    void aSecondIdenticalRequestPlansNothing() throws Exception {
        String query = "{ topProducts(first: 4) { name reviewCount } }";
        graph.query(query);
        long misses = graph.observed.planCacheMisses();
        long hits = graph.observed.planCacheHits();
        graph.query(query);
        assertThat(graph.observed.planCacheMisses()).isEqualTo(misses);
        assertThat(graph.observed.planCacheHits()).isEqualTo(hits + 1);
    }

    @Test
    void variablesAndFragmentsReachSubgraphs() throws Exception {
        JsonNode answer = graph.query("""
                query Q($upc: String!, $zip: String, $withMedia: Boolean!) {
                  product(upc: $upc) { ...Basics shippingEstimate(zip: $zip) media @include(if: $withMedia) { id } } }
                fragment Basics on Product { upc name }""", Map.of("upc", "100004", "zip", "20001", "withMedia", false));
        assertThat(answer.has("errors")).as("errors: %s", answer.get("errors")).isFalse();
        assertThat(answer.at("/data/product/name").asText()).isEqualTo(DATA.product("100004").name());
        assertThat(answer.at("/data/product").has("media")).isFalse();
        assertThat(graph.subgraph("media").requestLog().totalCount()).isZero();
    }

    @Test
    void onePlanServesEveryValueOfSkipAndInclude() throws Exception {
        String query = "query($withMedia: Boolean!) { product(upc: \"100008\") { name media @include(if: $withMedia) { id } } }";
        long misses = graph.observed.planCacheMisses();
        graph.resetLogsAndFaults();
        JsonNode with = graph.query(query, Map.of("withMedia", true));
        assertThat(graph.subgraph("media").requestLog().totalCount()).isEqualTo(1);
        JsonNode without = graph.query(query, Map.of("withMedia", false));
        assertThat(graph.subgraph("media").requestLog().totalCount()).as("the Condition node skips the media fetch").isEqualTo(1);
        JsonNode again = graph.query(query, Map.of("withMedia", true));
        assertThat(with.at("/data/product/media/0/id").asText()).isEqualTo("img-8");
        assertThat(without.at("/data/product").has("media")).isFalse();
        assertThat(again).isEqualTo(with);
        assertThat(graph.observed.planCacheMisses() - misses).as("plans made for three requests").isEqualTo(1);
    }

    @Test
    void skipInsideAFetchGoesToTheSubgraphWithItsVariable() throws Exception {
        String query = "query($brief: Boolean!) { product(upc: \"100008\") { name price @skip(if: $brief) } }";
        graph.resetLogsAndFaults();
        JsonNode brief = graph.query(query, Map.of("brief", true));
        JsonNode full = graph.query(query, Map.of("brief", false));
        assertThat(brief.at("/data/product").has("price")).isFalse();
        assertThat(brief.at("/data/product/name").asText()).isEqualTo(DATA.product("100008").name());
        assertThat(full.at("/data/product/price").asInt()).isEqualTo(DATA.product("100008").price());
        assertThat(graph.subgraph("products").requestLog().entries()).extracting(e -> e.variables().get("brief"))
                .containsExactly(true, false);
    }

    @Test
    void conditionsOnFragmentsAndNestedEntities() throws Exception {
        String query = """
                query($reviews: Boolean!, $noAuthor: Boolean!) {
                  topProducts(first: 2) { upc ... @include(if: $reviews) { reviews(first: 1) { totalCount edges { node {
                    rating author @skip(if: $noAuthor) { username } } } } } } }""";
        JsonNode none = graph.query(query, Map.of("reviews", false, "noAuthor", false));
        assertThat(none.has("errors")).as("errors: %s", none.get("errors")).isFalse();
        assertThat(none.at("/data/topProducts/0").has("reviews")).isFalse();
        JsonNode reviewsOnly = graph.query(query, Map.of("reviews", true, "noAuthor", true));
        assertThat(reviewsOnly.has("errors")).as("errors: %s", reviewsOnly.get("errors")).isFalse();
        assertThat(reviewsOnly.at("/data/topProducts/0/reviews/edges/0/node").has("rating")).isTrue();
        assertThat(reviewsOnly.at("/data/topProducts/0/reviews/edges/0/node").has("author")).isFalse();
        JsonNode all = graph.query(query, Map.of("reviews", true, "noAuthor", false));
        assertThat(all.has("errors")).as("errors: %s", all.get("errors")).isFalse();
        assertThat(all.at("/data/topProducts/0/reviews/edges/0/node/author/username").asText()).isNotEmpty();
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
