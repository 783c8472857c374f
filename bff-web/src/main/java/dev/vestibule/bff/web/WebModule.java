package dev.vestibule.bff.web;

import dev.vestibule.bff.web.graphql.DashboardQuery;
import dev.vestibule.bff.web.graphql.ProductPageQuery;
import dev.vestibule.bff.web.graphql.SearchQuery;
import dev.vestibule.router.bff.BffModule;
import dev.vestibule.router.bff.BffRequest;
import dev.vestibule.router.bff.BffRoute;
import dev.vestibule.router.bff.RoutePolicy;
import java.time.Duration;
import java.util.List;

/**
 * The web shop's BFF: full-detail pages for browsers. Browsers must not hold a bearer token where scripts can read
 * it, so the module takes a session cookie: the host serves {@code POST /web/login} (the bearer token once, answered
 * with the HttpOnly session cookie and a CSRF token) and {@code POST /web/logout}. The shapes are {@link WebViews}.
 */
public final class WebModule implements BffModule {

    @Override
    public String client() {
        return "web";
    }

    @Override
    public Credentials credentials() {
        return Credentials.SESSION;
    }

    @Override
    public List<BffRoute<?, ?, ?>> routes() {
        return List.of(
                // a dashboard of independent panels: a failed panel is shown as missing, the others still render
                BffRoute.get("/web/dashboard", DashboardQuery.INSTANCE)
                        .summary("the signed-in user's dashboard: profile and own reviews, best sellers, newest reviews, featured media")
                        .policy(RoutePolicy.partial().deadline(Duration.ofSeconds(3)).cacheControl("private, no-cache").requireIdentity())
                        .shape(WebViews.Dashboard.class, WebViews::dashboard),
                // the product page: its reviews, media and stock are non-null in the graph, so a failed section
                // takes the whole product with it; the last good page for the same request then, marked as such
                BffRoute.get("/web/products/{upc}", ProductPageQuery.INSTANCE)
                        .summary("the product page: details, stock, shipping, reviews (paged), media and recommendations")
                        .query("zip", String.class, "the delivery zip code for the shipping estimate (10001 by default)")
                        .query("reviews", Integer.class, "how many reviews per page (1-50, 10 by default)")
                        .query("after", String.class, "the reviews' cursor: the previous page's reviewsCursor")
                        .variables(WebModule::productPage)
                        .policy(RoutePolicy.fallback(null).deadline(Duration.ofSeconds(3)).cacheControl("private, max-age=30"))
                        .shape(WebViews.ProductPage.class, WebViews::productPage),
                // the search box: products, people and reviews in one list; a result without its image still helps,
                // so a failed media section leaves the images out and names the gap
                BffRoute.get("/web/search", SearchQuery.INSTANCE)
                        .summary("search products (by name), users (by username) and reviews (by title): one list, each hit with its kind")
                        .query("q", String.class, "the text to look for (1-100 characters; required)")
                        .query("first", Integer.class, "how many hits (1-50, 10 by default)")
                        .variables(WebModule::search)
                        .policy(RoutePolicy.partial().deadline(Duration.ofSeconds(2)).cacheControl("private, max-age=60"))
                        .shape(WebViews.SearchResults.class, WebViews::search));
    }

    private static SearchQuery.Variables search(BffRequest request) {
        String text = request.query("q");
        if (text == null || text.isBlank()) throw new BffRequest.BadRequest("the query parameter 'q' (the text to search for) is required");
        if (text.length() > 100) throw new BffRequest.BadRequest("the query parameter 'q' must be at most 100 characters");
        return new SearchQuery.Variables(text.strip(), request.queryInt("first", 10, 1, 50));
    }

    private static ProductPageQuery.Variables productPage(BffRequest request) {
        String upc = request.pathParameter("upc");
        if (upc.isEmpty() || upc.length() > 32) throw new BffRequest.BadRequest("the product's upc must be 1 to 32 characters");
        String zip = request.query("zip");
        if (zip != null && (zip.isEmpty() || zip.length() > 10)) throw new BffRequest.BadRequest("zip must be 1 to 10 characters");
        return new ProductPageQuery.Variables(upc, zip, request.queryInt("reviews", 10, 1, 50), request.query("after"));
    }
}
