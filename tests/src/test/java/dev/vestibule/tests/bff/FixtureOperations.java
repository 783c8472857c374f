package dev.vestibule.tests.bff;

import static dev.vestibule.tests.bff.HandOperation.decimal;
import static dev.vestibule.tests.bff.HandOperation.integer;
import static dev.vestibule.tests.bff.HandOperation.object;

import dev.vestibule.router.bff.BffOperation.NoVariables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fixture modules' operations against the sample graph, with their variables and data records. */
final class FixtureOperations {
    private FixtureOperations() {}

    // ---- ShopHome: top products (products) and the signed-in user (accounts), both nullable-safe sections

    record HomeVariables(int first) {}

    record HomeData(List<HomeProduct> topProducts, HomeUser me) {}

    record HomeProduct(String upc, String name, int price) {}

    record HomeUser(String username) {}

    static final HandOperation<HomeVariables, HomeData> HOME = new HandOperation<>("ShopHome", "query",
            "query ShopHome($first: Int!) { topProducts(first: $first) { upc name price } me { username } }",
            v -> Map.of("first", v.first()),
            data -> new HomeData(
                    data.get("topProducts") == null ? null : ((List<?>) data.get("topProducts")).stream().map(p -> {
                        Map<String, Object> product = object(p);
                        return new HomeProduct((String) product.get("upc"), (String) product.get("name"), integer(product.get("price")));
                    }).toList(),
                    data.get("me") == null ? null : new HomeUser((String) object(data.get("me")).get("username"))));

    // ---- ShopProduct: one product with its rating (reviews) and cover image (media), both nullable

    record ProductVariables(String upc) {}

    record ProductData(Product product) {}

    record Product(String upc, String name, int price, boolean inStock, Double averageRating, Cover coverImage) {}

    record Cover(String url, String title) {}

    static final HandOperation<ProductVariables, ProductData> PRODUCT = new HandOperation<>("ShopProduct", "query",
            "query ShopProduct($upc: String!) { product(upc: $upc) { upc name price inStock averageRating coverImage { url title } } }",
            v -> Map.of("upc", v.upc()),
            data -> {
                Map<String, Object> p = object(data.get("product"));
                if (p == null) return new ProductData(null);
                Map<String, Object> cover = object(p.get("coverImage"));
                return new ProductData(new Product((String) p.get("upc"), (String) p.get("name"), integer(p.get("price")),
                        (Boolean) p.get("inStock"), decimal(p.get("averageRating")),
                        cover == null ? null : new Cover((String) cover.get("url"), (String) cover.get("title"))));
            });

    // ---- ShopMe: who the caller is, as accounts sees it

    record MeData(HomeUser me) {}

    static final HandOperation<NoVariables, MeData> ME = new HandOperation<>("ShopMe", "query", "query ShopMe { me { username } }",
            v -> Map.of(),
            data -> new MeData(data.get("me") == null ? null : new HomeUser((String) object(data.get("me")).get("username"))));

    // ---- ShopAddReview: the mutation

    record AddReviewVariables(String upc, String authorId, int rating, String body) {}

    record AddReviewData(AddedReview addReview) {}

    record AddedReview(String id, int rating) {}

    static final HandOperation<AddReviewVariables, AddReviewData> ADD_REVIEW = new HandOperation<>("ShopAddReview", "mutation",
            "mutation ShopAddReview($input: AddReviewInput!) { addReview(input: $input) { id rating } }",
            v -> {
                Map<String, Object> input = new LinkedHashMap<>();
                input.put("productUpc", v.upc());
                input.put("authorId", v.authorId());
                input.put("rating", v.rating());
                input.put("body", v.body());
                return Map.of("input", input);
            },
            data -> {
                Map<String, Object> review = object(data.get("addReview"));
                return new AddReviewData(review == null ? null : new AddedReview((String) review.get("id"), integer(review.get("rating"))));
            });

    /** An operation the sample supergraph cannot serve (a field it lacks): what a reload that drops a field does. */
    static final HandOperation<NoVariables, MeData> BROKEN = new HandOperation<>("ShopGone", "query",
            "query ShopGone { me { username loyaltyTier } }", v -> Map.of(), data -> new MeData(null));
}
