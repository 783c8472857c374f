package dev.vestibule.bff.web;

import dev.vestibule.bff.web.graphql.DashboardQuery;
import dev.vestibule.bff.web.graphql.ProductPageQuery;
import dev.vestibule.bff.web.graphql.SearchQuery;
import dev.vestibule.router.bff.BffRequest;
import java.util.List;
import java.util.Objects;

/**
 * What the web pages get: full detail, with the graph's nesting flattened where a page has no use for it (edges,
 * nodes, fragments on media kinds). Null components are left out of the JSON. The mappings decide nothing.
 */
public final class WebViews {
    private WebViews() {}

    public record User(String id, String username, String email, String displayName, String role, List<OwnReview> reviews) {}

    public record OwnReview(String id, int rating, String title, String productUpc, String productName) {}

    public record ProductSummary(String upc, String name, int priceCents, boolean inStock, String image, String imageAlt,
                                 Integer reviewCount, Double rating, Object sales) {}

    public record ReviewItem(String id, int rating, String title, String body, Object createdAt, String status,
                             Integer helpfulVotes, String author, String productUpc, String productName) {}

    /** An image or a video: {@code kind} says which, and only that kind's fields are set. */
    public record MediaItem(String id, String kind, String title, String url, Integer width, Integer height, String altText,
                            Integer durationSeconds, String thumbnailUrl, Integer likes) {}

    public record Dashboard(User user, List<ProductSummary> topProducts, int latestReviewCount, List<ReviewItem> latestReviews,
                            List<MediaItem> featuredMedia) {}

    public record Stock(String warehouse, String city, int quantity) {}

    public record ProductPage(String upc, String name, int priceCents, boolean inStock, String image, String imageAlt,
                              String description, String category, List<String> tags, Double weightKg, String dimensions,
                              String seller, Double sellerRating, Integer shippingDays, List<Stock> stock, Double rating,
                              Integer reviewCount, List<ReviewItem> reviews, String reviewsCursor, List<MediaItem> media,
                              List<ProductSummary> recommendations) {}

    /**
     * One search hit: {@code kind} is {@code product} (upc, name, priceCents, inStock, image, imageAlt), {@code user}
     * (username) or {@code review} (reviewId, title, rating); only that kind's fields are set.
     */
    public record SearchHit(String kind, String upc, String name, Integer priceCents, Boolean inStock, String image,
                            String imageAlt, String username, String reviewId, String title, Integer rating) {}

    public record SearchResults(List<SearchHit> results) {}

    static SearchResults search(SearchQuery.Data data) {
        List<SearchHit> hits = data.search() == null ? List.of() : data.search().stream()
                .map(WebViews::hit)
                .filter(Objects::nonNull)
                .toList();
        return new SearchResults(hits);
    }

    private static SearchHit hit(SearchQuery.Data.Search result) {
        if (result == null) return null;
        if (result.onProduct() != null) {
            SearchQuery.Data.Search.OnProduct p = result.onProduct();
            return new SearchHit("product", p.upc(), p.name(), p.price(), p.inStock(),
                    p.coverImage() == null ? null : text(p.coverImage().url()), p.coverImage() == null ? null : p.coverImage().altText(),
                    null, null, null, null);
        }
        if (result.onUser() != null) {
            return new SearchHit("user", null, null, null, null, null, null, result.onUser().username(), null, null, null);
        }
        if (result.onReview() != null) {
            SearchQuery.Data.Search.OnReview r = result.onReview();
            return new SearchHit("review", null, null, null, null, null, null, null, r.id(), r.title(), r.rating());
        }
        return null; // a kind the schema added later: not shown until the page knows it
    }

    static Dashboard dashboard(DashboardQuery.Data data) {
        // partial: each panel may be missing (named in gaps by the host)
        DashboardQuery.Data.Me me = data.me();
        User user = me == null ? null : new User(me.id(), me.username(), me.email(),
                me.name() == null ? null : (me.name().first() + " " + me.name().last()).trim(),
                me.role() == null ? null : me.role().name(),
                me.reviews() == null ? List.of() : me.reviews().stream().map(r -> new OwnReview(r.id(), r.rating(), r.title(),
                        r.product() == null ? null : r.product().upc(), r.product() == null ? null : r.product().name())).toList());
        List<ProductSummary> top = data.topProducts() == null ? List.of() : data.topProducts().stream()
                .map(p -> new ProductSummary(p.upc(), p.name(), p.price(), p.inStock(),
                        p.coverImage() == null ? null : text(p.coverImage().url()), p.coverImage() == null ? null : p.coverImage().altText(),
                        p.reviewCount(), p.averageRating(), p.salesCount()))
                .toList();
        DashboardQuery.Data.LatestReviews latest = data.latestReviews();
        List<ReviewItem> reviews = latest == null ? List.of() : latest.edges().stream().map(e -> e.node())
                .map(n -> new ReviewItem(n.id(), n.rating(), n.title(), null, n.createdAt(), null, null,
                        n.author() == null ? null : n.author().username(), n.product() == null ? null : n.product().upc(),
                        n.product() == null ? null : n.product().name()))
                .toList();
        List<MediaItem> media = data.featuredMedia() == null ? List.of() : data.featuredMedia().stream()
                .map(m -> m.onImage() != null
                        ? new MediaItem(m.id(), "image", m.title(), text(m.url()), m.onImage().width(), m.onImage().height(), m.onImage().altText(), null, null, null)
                        : new MediaItem(m.id(), m.onVideo() != null ? "video" : m.__typename(), m.title(), text(m.url()), null, null, null,
                                m.onVideo() == null ? null : m.onVideo().durationSeconds(),
                                m.onVideo() == null || m.onVideo().thumbnail() == null ? null : text(m.onVideo().thumbnail().url()), null))
                .toList();
        return new Dashboard(user, top, latest == null ? 0 : latest.totalCount(), reviews, media);
    }

    static ProductPage productPage(ProductPageQuery.Data data) {
        ProductPageQuery.Data.Product p = data.product();
        if (p == null) throw new BffRequest.NotFound("no product has this upc");
        var d = p.dimensions();
        ProductPageQuery.Data.Product.Reviews reviews = p.reviews();
        List<ReviewItem> reviewItems = reviews == null ? List.of() : reviews.edges().stream().map(e -> e.node())
                .map(n -> new ReviewItem(n.id(), n.rating(), n.title(), n.body(), n.createdAt(),
                        n.status() == null ? null : n.status().name(), n.helpfulVotes(),
                        n.author() == null ? null : n.author().username(), null, null))
                .toList();
        String cursor = reviews == null || !reviews.pageInfo().hasNextPage() ? null : reviews.pageInfo().endCursor();
        List<MediaItem> media = p.media() == null ? List.of() : p.media().stream()
                .map(m -> m.onImage() != null
                        ? new MediaItem(m.id(), "image", m.title(), text(m.url()), m.onImage().width(), m.onImage().height(), m.onImage().altText(), null, null, m.likes())
                        : new MediaItem(m.id(), m.onVideo() != null ? "video" : m.__typename(), m.title(), text(m.url()), null, null, null,
                                m.onVideo() == null ? null : m.onVideo().durationSeconds(),
                                m.onVideo() == null || m.onVideo().thumbnail() == null ? null : text(m.onVideo().thumbnail().url()), m.likes()))
                .toList();
        List<Stock> stock = p.stock() == null ? List.of() : p.stock().stream()
                .map(s -> new Stock(s.warehouse() == null ? null : s.warehouse().code(), s.warehouse() == null ? null : s.warehouse().city(), s.quantity()))
                .toList();
        List<ProductSummary> recommendations = data.recommendations() == null ? List.of() : data.recommendations().stream()
                .filter(r -> !r.upc().equals(p.upc()))
                .map(r -> new ProductSummary(r.upc(), r.name(), r.price(), r.inStock(),
                        r.coverImage() == null ? null : text(r.coverImage().url()), r.coverImage() == null ? null : r.coverImage().altText(),
                        null, null, null))
                .toList();
        return new ProductPage(p.upc(), p.name(), p.price(), p.inStock(),
                p.coverImage() == null ? null : text(p.coverImage().url()), p.coverImage() == null ? null : p.coverImage().altText(),
                p.description(), p.category() == null ? null : p.category().name(), p.tags(), p.weight(),
                d == null ? null : d.length() + "x" + d.width() + "x" + d.height(),
                p.seller() == null ? null : p.seller().displayName(), p.seller() == null ? null : p.seller().rating(),
                p.shippingEstimate(), stock, p.averageRating(), reviews == null ? null : reviews.totalCount(), reviewItems, cursor,
                media, recommendations);
    }

    /** A custom scalar (Url) as its JSON value: a string on the wire. */
    private static String text(Object scalar) {
        return scalar == null ? null : scalar.toString();
    }
}
