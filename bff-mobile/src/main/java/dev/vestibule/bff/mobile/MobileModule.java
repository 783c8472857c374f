package dev.vestibule.bff.mobile;

import dev.vestibule.bff.mobile.graphql.AddReviewInput;
import dev.vestibule.bff.mobile.graphql.AddReviewMutation;
import dev.vestibule.bff.mobile.graphql.HomeQuery;
import dev.vestibule.bff.mobile.graphql.ProductDetailQuery;
import dev.vestibule.router.bff.BffModule;
import dev.vestibule.router.bff.BffRequest;
import dev.vestibule.router.bff.BffRoute;
import dev.vestibule.router.bff.RoutePolicy;
import java.time.Duration;
import java.util.List;

/**
 * The mobile app's BFF: compact payloads for small screens on slow networks. Apps keep their own token, so the
 * module takes bearer JWTs. Each route runs one of the module's generated operations (src/main/graphql) and only
 * renames, flattens and drops; the shapes are {@link MobileViews}.
 */
public final class MobileModule implements BffModule {

    @Override
    public String client() {
        return "mobile";
    }

    @Override
    public Credentials credentials() {
        return Credentials.BEARER;
    }

    @Override
    public List<BffRoute<?, ?, ?>> routes() {
        return List.of(
                // the home screen still has something to show when one section fails (the signed-in user, the
                // thumbnails): partial, with the missing sections named in gaps
                BffRoute.get("/mobile/v1/home", HomeQuery.INSTANCE)
                        .summary("the home screen: best sellers as compact cards, and who is signed in")
                        .query("first", Integer.class, "how many products (1-20, 6 by default)")
                        .variables(request -> new HomeQuery.Variables(request.queryInt("first", 6, 1, 20)))
                        .policy(RoutePolicy.partial().deadline(Duration.ofSeconds(2)).cacheControl("private, max-age=60"))
                        .shape(MobileViews.Home.class, MobileViews::home),
                // a product page with a hole (no rating, no reviews) misleads: the last good answer for the same
                // product, or a problem when there is none yet
                BffRoute.get("/mobile/v1/products/{upc}", ProductDetailQuery.INSTANCE)
                        .summary("one product: its card, description, rating and the three newest reviews")
                        .variables(request -> new ProductDetailQuery.Variables(upc(request)))
                        .policy(RoutePolicy.fallback(null).deadline(Duration.ofSeconds(2)).cacheControl("private, max-age=30"))
                        .shape(MobileViews.Product.class, MobileViews::product),
                BffRoute.post("/mobile/v1/products/{upc}/reviews", AddReviewMutation.INSTANCE)
                        .summary("the signed-in user reviews a product")
                        .body(MobileViews.ReviewDraft.class)
                        .variables(MobileModule::addReview)
                        .policy(RoutePolicy.fail().deadline(Duration.ofSeconds(3)).requireIdentity()
                                .rateLimit(10, Duration.ofMinutes(1), 5))
                        .shape(MobileViews.ReviewPosted.class, MobileViews::reviewPosted));
    }

    private static String upc(BffRequest request) {
        String upc = request.pathParameter("upc");
        if (upc.isEmpty() || upc.length() > 32) throw new BffRequest.BadRequest("the product's upc must be 1 to 32 characters");
        return upc;
    }

    private static AddReviewMutation.Variables addReview(BffRequest request) {
        MobileViews.ReviewDraft draft = request.body(MobileViews.ReviewDraft.class);
        if (draft.rating() < 1 || draft.rating() > 5) throw new BffRequest.BadRequest("rating must be a whole number from 1 to 5");
        if (draft.text() == null || draft.text().isBlank()) throw new BffRequest.BadRequest("text must not be empty");
        // the author is who signed the token, never a field of the body
        return new AddReviewMutation.Variables(new AddReviewInput(upc(request), request.identity().subject(), draft.rating(),
                draft.title(), draft.text()));
    }
}
