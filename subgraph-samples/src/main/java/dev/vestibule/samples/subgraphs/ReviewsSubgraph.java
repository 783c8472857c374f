package dev.vestibule.samples.subgraphs;

import static graphql.schema.idl.TypeRuntimeWiring.newTypeWiring;

import dev.vestibule.samples.data.SampleData;
import dev.vestibule.samples.data.SampleData.Review;
import dev.vestibule.samples.data.SampleData.ReviewStatus;
import dev.vestibule.samples.data.SampleData.User;
import graphql.GraphqlErrorException;
import graphql.scalars.ExtendedScalars;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * reviews: what users wrote about products. Review authors come with their username (@provides); every Media gets
 * likes through @interfaceObject. addReview keeps new reviews in memory for the life of the process.
 */
public final class ReviewsSubgraph extends SampleSubgraph {
    private final SampleData data = SampleData.get();
    private final List<Review> added = new CopyOnWriteArrayList<>();
    private final Map<String, Review> addedById = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(SampleData.REVIEWS + 1);

    record ProductReference(String upc) {}

    /** A review's author: the id, and the username this subgraph provides with it. */
    record Author(String id, String username) {}

    /** An image or a video, seen here only as something that can be liked. */
    record Likeable(String id) {}

    @Override
    public String name() { return "reviews"; }

    @Override
    protected RuntimeWiring wiring() {
        return RuntimeWiring.newRuntimeWiring()
                .scalar(ExtendedScalars.DateTime)
                .type(newTypeWiring("Query")
                        .dataFetcher("review", env -> review(env.getArgument("id")))
                        .dataFetcher("latestReviews", env -> Pagination.connection(newestFirst(),
                                env.getArgument("first"), env.getArgument("after"), Review::id)))
                .type(newTypeWiring("Mutation").dataFetcher("addReview", this::addReview))
                .type(newTypeWiring("Review")
                        .dataFetcher("product", env -> new ProductReference(env.<Review>getSource().productUpc()))
                        .dataFetcher("author", env -> {
                            User user = data.user(env.<Review>getSource().authorId());
                            return user == null ? null : new Author(user.id(), user.username());
                        }))
                .type(newTypeWiring("User")
                        .dataFetcher("reviews", env -> limit(reviewsBy(env.<Author>getSource().id()), env.getArgument("first")))
                        .dataFetcher("reviewCount", env -> reviewsBy(env.<Author>getSource().id()).size()))
                .type(newTypeWiring("Product")
                        .dataFetcher("reviews", env -> Pagination.connection(reviewsOf(env.<ProductReference>getSource().upc()),
                                env.getArgument("first"), env.getArgument("after"), Review::id))
                        .dataFetcher("averageRating", env -> {
                            List<Review> reviews = reviewsOf(env.<ProductReference>getSource().upc());
                            return reviews.isEmpty() ? null
                                    : Math.round(reviews.stream().mapToInt(Review::rating).average().orElse(0) * 100) / 100.0;
                        })
                        .dataFetcher("reviewCount", env -> reviewsOf(env.<ProductReference>getSource().upc()).size()))
                .type(newTypeWiring("Media")
                        .dataFetcher("likes", env -> Math.floorMod(env.<Likeable>getSource().id().hashCode(), 1000)))
                .type(newTypeWiring("Node").typeResolver(typeResolver()))
                .build();
    }

    private Review addReview(DataFetchingEnvironment env) {
        Map<String, Object> input = env.getArgument("input");
        String upc = (String) input.get("productUpc");
        String authorId = (String) input.get("authorId");
        int rating = (Integer) input.get("rating");
        if (rating < 1 || rating > 5) throw invalid("rating must be between 1 and 5, got " + rating);
        if (data.product(upc) == null) throw invalid("no product with upc '" + upc + "'");
        if (data.user(authorId) == null) throw invalid("no user with id '" + authorId + "'");
        Review review = new Review("r" + nextId.getAndIncrement(), upc, authorId, rating, (String) input.get("title"),
                (String) input.get("body"), OffsetDateTime.now(ZoneOffset.UTC).withNano(0), ReviewStatus.PUBLISHED, 0);
        added.add(review);
        addedById.put(review.id(), review);
        return review;
    }

    private static GraphqlErrorException invalid(String message) {
        return GraphqlErrorException.newErrorException().message(message)
                .extensions(Map.of("code", "BAD_USER_INPUT")).build();
    }

    private Review review(String id) {
        Review review = data.review(id);
        return review != null ? review : addedById.get(id);
    }

    private List<Review> newestFirst() {
        List<Review> all = new ArrayList<>(data.reviews());
        all.addAll(added);
        Collections.reverse(all);
        return all;
    }

    private List<Review> reviewsOf(String upc) {
        List<Review> reviews = new ArrayList<>(data.reviewsOfProduct(upc));
        added.stream().filter(r -> r.productUpc().equals(upc)).forEach(reviews::add);
        return reviews;
    }

    private List<Review> reviewsBy(String userId) {
        List<Review> reviews = new ArrayList<>(data.reviewsByAuthor(userId));
        added.stream().filter(r -> r.authorId().equals(userId)).forEach(reviews::add);
        return reviews;
    }

    private static List<Review> limit(List<Review> reviews, Integer first) {
        return reviews.subList(0, Math.min(reviews.size(), first == null ? 5 : Math.max(0, first)));
    }

    @Override
    protected Object resolveEntity(Map<String, Object> representation) {
        return switch (String.valueOf(representation.get("__typename"))) {
            case "Review" -> representation.get("id") instanceof String id ? review(id) : null;
            case "User" -> representation.get("id") instanceof String id && data.user(id) != null
                    ? new Author(id, data.user(id).username()) : null;
            case "Product" -> representation.get("upc") instanceof String upc && data.product(upc) != null
                    ? new ProductReference(upc) : null;
            case "Media" -> representation.get("id") instanceof String id && data.mediaItem(id) != null
                    ? new Likeable(id) : null;
            default -> null;
        };
    }

    @Override
    protected String typeNameOf(Object value) {
        return switch (value) {
            case Review r -> "Review";
            case Author a -> "User";
            case ProductReference p -> "Product";
            case Likeable l -> "Media";
            default -> throw new IllegalStateException("reviews cannot name the type of " + value);
        };
    }
}
