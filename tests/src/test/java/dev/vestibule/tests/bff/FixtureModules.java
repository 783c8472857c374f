package dev.vestibule.tests.bff;

import dev.vestibule.router.bff.BffModule;
import dev.vestibule.router.bff.BffRequest;
import dev.vestibule.router.bff.BffRoute;
import dev.vestibule.router.bff.RoutePolicy;
import dev.vestibule.tests.bff.FixtureOperations.AddReviewVariables;
import dev.vestibule.tests.bff.FixtureOperations.HomeData;
import dev.vestibule.tests.bff.FixtureOperations.HomeVariables;
import dev.vestibule.tests.bff.FixtureOperations.ProductData;
import dev.vestibule.tests.bff.FixtureOperations.ProductVariables;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Test-only BFF modules over the sample graph, with hand-written operations (FixtureOperations). */
final class FixtureModules {
    private FixtureModules() {}

    // the screens' shapes: compact, renamed, flattened

    record Tile(String upc, String title, int priceCents) {}

    record HomeView(List<Tile> products, String greeting) {}

    record ProductView(String upc, String title, int priceCents, boolean available, Double rating, String coverUrl) {}

    record ReviewBody(int rating, String text) {}

    record ReviewCreated(String id, int rating) {}

    record WhoAmI(String username) {}

    static HomeView home(HomeData data) {
        List<Tile> tiles = data.topProducts() == null ? List.of()
                : data.topProducts().stream().map(p -> new Tile(p.upc(), p.name(), p.price())).toList();
        return new HomeView(tiles, data.me() == null ? null : "Hello, " + data.me().username());
    }

    static ProductView product(ProductData data) {
        var p = data.product();
        if (p == null) throw new BffRequest.NotFound("no product has this upc");
        return new ProductView(p.upc(), p.name(), p.price(), p.inStock(), p.averageRating(), p.coverImage() == null ? null : p.coverImage().url());
    }

    static HomeVariables homeVariables(BffRequest request) {
        return new HomeVariables(request.queryInt("first", 3, 1, 20));
    }

    static ProductVariables productVariables(BffRequest request) {
        return new ProductVariables(request.pathParameter("upc"));
    }

    /** The mobile-like module: bearer tokens, one route per policy. */
    static final class Shop implements BffModule {
        @Override
        public String client() {
            return "shop";
        }

        @Override
        public List<BffRoute<?, ?, ?>> routes() {
            return List.of(
                    BffRoute.get("/shop/home", FixtureOperations.HOME).summary("the home screen").variables(FixtureModules::homeVariables)
                            .query("first", Integer.class, "how many products (1-20, 3 by default)")
                            .policy(RoutePolicy.fail().cacheControl("private, max-age=30")).shape(HomeView.class, FixtureModules::home),
                    BffRoute.get("/shop/products/{upc}", FixtureOperations.PRODUCT).variables(FixtureModules::productVariables)
                            .policy(RoutePolicy.partial()).shape(ProductView.class, FixtureModules::product),
                    BffRoute.get("/shop/steady/home", FixtureOperations.HOME).variables(FixtureModules::homeVariables)
                            .policy(RoutePolicy.fallback(() -> new HomeView(List.of(), "Welcome"))).shape(HomeView.class, FixtureModules::home),
                    BffRoute.get("/shop/quick/products/{upc}", FixtureOperations.PRODUCT).variables(FixtureModules::productVariables)
                            .policy(RoutePolicy.fail().deadline(Duration.ofMillis(300))).shape(ProductView.class, FixtureModules::product),
                    BffRoute.post("/shop/products/{upc}/reviews", FixtureOperations.ADD_REVIEW).body(ReviewBody.class)
                            .variables(request -> {
                                ReviewBody body = request.body(ReviewBody.class);
                                if (body.rating() < 1 || body.rating() > 5) throw new BffRequest.BadRequest("rating must be 1 to 5");
                                return new AddReviewVariables(request.pathParameter("upc"), request.identity().subject(), body.rating(), body.text());
                            })
                            .policy(RoutePolicy.fail().requireIdentity())
                            .shape(ReviewCreated.class, data -> new ReviewCreated(data.addReview().id(), data.addReview().rating())),
                    BffRoute.get("/shop/me", FixtureOperations.ME).policy(RoutePolicy.fail().requireIdentity())
                            .shape(WhoAmI.class, data -> new WhoAmI(data.me() == null ? null : data.me().username())),
                    BffRoute.get("/shop/boom", FixtureOperations.HOME).variables(FixtureModules::homeVariables)
                            .shape(HomeView.class, data -> {
                                throw new IllegalStateException("secret-internal-detail at /srv/shop");
                            }),
                    BffRoute.get("/shop/limited", FixtureOperations.HOME).variables(FixtureModules::homeVariables)
                            .policy(RoutePolicy.fail().rateLimit(2, Duration.ofMinutes(1), 2)).shape(HomeView.class, FixtureModules::home));
        }
    }

    /** A module whose route code can be held (a latch), with room for one request at a time: the bulkhead's test. */
    static final class Slow implements BffModule {
        static final AtomicReference<CountDownLatch> GATE = new AtomicReference<>(new CountDownLatch(0));
        static final AtomicReference<CountDownLatch> ENTERED = new AtomicReference<>(new CountDownLatch(0));

        @Override
        public String client() {
            return "slow";
        }

        @Override
        public int maxConcurrency() {
            return 1;
        }

        @Override
        public List<BffRoute<?, ?, ?>> routes() {
            return List.of(BffRoute.get("/slow/home", FixtureOperations.HOME).variables(request -> {
                ENTERED.get().countDown();
                try {
                    if (!GATE.get().await(30, TimeUnit.SECONDS)) throw new IllegalStateException("the gate stayed shut");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return homeVariables(request);
            }).shape(HomeView.class, FixtureModules::home));
        }
    }

    /** The web-like module: a session cookie, CSRF tokens on state-changing routes. */
    static final class Desk implements BffModule {
        @Override
        public String client() {
            return "desk";
        }

        @Override
        public Credentials credentials() {
            return Credentials.SESSION;
        }

        @Override
        public List<BffRoute<?, ?, ?>> routes() {
            return List.of(
                    BffRoute.get("/desk/me", FixtureOperations.ME).policy(RoutePolicy.fail().requireIdentity())
                            .shape(WhoAmI.class, data -> new WhoAmI(data.me() == null ? null : data.me().username())),
                    BffRoute.post("/desk/products/{upc}/reviews", FixtureOperations.ADD_REVIEW).body(ReviewBody.class)
                            .variables(request -> {
                                ReviewBody body = request.body(ReviewBody.class);
                                return new AddReviewVariables(request.pathParameter("upc"), request.identity().subject(), body.rating(), body.text());
                            })
                            .policy(RoutePolicy.fail().requireIdentity())
                            .shape(ReviewCreated.class, data -> new ReviewCreated(data.addReview().id(), data.addReview().rating())));
        }
    }

    /** A module with an operation the sample supergraph cannot serve. */
    static final class Gone implements BffModule {
        @Override
        public String client() {
            return "gone";
        }

        @Override
        public List<BffRoute<?, ?, ?>> routes() {
            return List.of(BffRoute.get("/gone/me", FixtureOperations.BROKEN).shape(WhoAmI.class, data -> new WhoAmI(null)));
        }
    }
}
