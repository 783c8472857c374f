package dev.vestibule.bff.mobile;

import dev.vestibule.bff.mobile.graphql.AddReviewMutation;
import dev.vestibule.bff.mobile.graphql.HomeQuery;
import dev.vestibule.bff.mobile.graphql.ProductDetailQuery;
import dev.vestibule.router.bff.BffRequest;
import java.util.List;

/**
 * What the mobile screens get: short names, flat records, nothing the screen does not show (null components are
 * left out of the JSON). The mappings rename, flatten and drop; they decide nothing.
 */
public final class MobileViews {
    private MobileViews() {}

    /** A product as every list shows it. */
    public record Card(String upc, String name, int priceCents, boolean inStock, String thumb) {}

    /** The home screen: null {@code user} when anonymous or when the accounts section is missing. */
    public record Home(String user, List<Card> products) {}

    public record ReviewLine(String id, int rating, String title, String by) {}

    public record Product(String upc, String name, int priceCents, boolean inStock, String description, Double rating,
                          int reviewCount, String image, String imageAlt, List<ReviewLine> reviews) {}

    /** The body of {@code POST /mobile/v1/products/{upc}/reviews}. */
    public record ReviewDraft(int rating, String title, String text) {}

    public record ReviewPosted(String id, int rating, String status) {}

    static Home home(HomeQuery.Data data) {
        // partial: topProducts or me may be missing (named in gaps by the host)
        List<Card> cards = data.topProducts() == null ? List.of() : data.topProducts().stream()
                .map(p -> new Card(p.upc(), p.name(), p.price(), p.inStock(), p.coverImage() == null ? null : text(p.coverImage().url())))
                .toList();
        return new Home(data.me() == null ? null : data.me().username(), cards);
    }

    static Product product(ProductDetailQuery.Data data) {
        ProductDetailQuery.Data.Product p = data.product();
        if (p == null) throw new BffRequest.NotFound("no product has this upc");
        List<ReviewLine> reviews = p.reviews() == null ? List.of() : p.reviews().edges().stream()
                .map(ProductDetailQuery.Data.Product.Reviews.Edges::node)
                .map(n -> new ReviewLine(n.id(), n.rating(), n.title(), n.author() == null ? null : n.author().username()))
                .toList();
        return new Product(p.upc(), p.name(), p.price(), p.inStock(), p.description(), p.averageRating(), p.reviewCount(),
                p.coverImage() == null ? null : text(p.coverImage().url()), p.coverImage() == null ? null : p.coverImage().altText(),
                reviews);
    }

    static ReviewPosted reviewPosted(AddReviewMutation.Data data) {
        AddReviewMutation.Data.AddReview review = data.addReview();
        return new ReviewPosted(review.id(), review.rating(), review.status() == null ? null : review.status().name());
    }

    /** A custom scalar (Url) as its JSON value: a string on the wire. */
    private static String text(Object scalar) {
        return scalar == null ? null : scalar.toString();
    }
}
