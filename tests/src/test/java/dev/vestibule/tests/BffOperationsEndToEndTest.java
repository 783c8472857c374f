package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.bff.mobile.graphql.AddReviewInput;
import dev.vestibule.bff.mobile.graphql.AddReviewMutation;
import dev.vestibule.bff.mobile.graphql.HomeQuery;
import dev.vestibule.bff.mobile.graphql.MobileOperations;
import dev.vestibule.bff.mobile.graphql.ProductDetailQuery;
import dev.vestibule.bff.mobile.graphql.ReviewStatus;
import dev.vestibule.bff.web.graphql.Category;
import dev.vestibule.bff.web.graphql.DashboardQuery;
import dev.vestibule.bff.web.graphql.ProductPageQuery;
import dev.vestibule.bff.web.graphql.SearchQuery;
import dev.vestibule.bff.web.graphql.WebOperations;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.bff.BffOperation;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operations the BFF modules' builds generated (bff-mobile, bff-web) run through a real router in front of the
 * sample subgraphs: each document is accepted as is, and the generated decoding turns the answers into the records,
 * fragments and enums included; each module's jar carries the manifest of exactly its operations.
 */
class BffOperationsEndToEndTest {
    @RegisterExtension
    static final FederatedGraph graph = FederatedGraph.forClass(RouterSettings.DEFAULTS);

    /** Runs an operation as a BFF host would (document and encoded variables) and decodes the answer's data. */
    private static <V extends Record, D extends Record> D run(BffOperation<V, D> operation, V variables) throws Exception {
        JsonNode answer = graph.query(operation.document(), operation.variables(variables));
        assertThat(answer.has("errors")).as(operation.name() + " answered " + answer).isFalse();
        Map<String, Object> data = FederatedGraph.JSON.convertValue(answer.get("data"), new TypeReference<>() {});
        return operation.data(data);
    }

    @Test
    void mobileHomeDecodesTopProductsThroughTheSharedFragmentAndTheViewer() throws Exception {
        HomeQuery.Data home = run(HomeQuery.INSTANCE, new HomeQuery.Variables(null));
        assertThat(home.topProducts()).hasSize(6); // the operation's default $first
        for (HomeQuery.Data.TopProducts product : home.topProducts()) {
            assertThat(product.upc()).isNotBlank();
            assertThat(product.name()).isNotBlank();
            assertThat(product.price()).isPositive();
        }
        assertThat(home.me().username()).isEqualTo("niklaus.wirth1");
    }

    @Test
    void mobileProductDetailTakesTypedVariables() throws Exception {
        String upc = run(HomeQuery.INSTANCE, new HomeQuery.Variables(null)).topProducts().get(0).upc();
        ProductDetailQuery.Data detail = run(ProductDetailQuery.INSTANCE, new ProductDetailQuery.Variables(upc));
        assertThat(detail.product().upc()).isEqualTo(upc);
        assertThat(detail.product().reviews().edges()).hasSizeLessThanOrEqualTo(3);
        assertThat(detail.product().reviews().totalCount()).isGreaterThanOrEqualTo(detail.product().reviews().edges().size());
        detail.product().reviews().edges().forEach(edge -> assertThat(edge.node().rating()).isBetween(1, 5));

        assertThat(run(ProductDetailQuery.INSTANCE, new ProductDetailQuery.Variables("no-such-upc")).product()).isNull();
    }

    @Test
    void mobileAddReviewSendsAnInputRecordAndDecodesTheEnum() throws Exception {
        String upc = run(HomeQuery.INSTANCE, new HomeQuery.Variables(null)).topProducts().get(1).upc();
        AddReviewMutation.Data added = run(AddReviewMutation.INSTANCE,
                new AddReviewMutation.Variables(new AddReviewInput(upc, "u1", 4, null, "Sturdy \"and\" fun")));
        assertThat(added.addReview().rating()).isEqualTo(4);
        assertThat(added.addReview().title()).isNull(); // a null optional input field is left out
        assertThat(added.addReview().body()).isEqualTo("Sturdy \"and\" fun");
        assertThat(added.addReview().status()).isEqualTo(ReviewStatus.PUBLISHED);
        assertThat(added.addReview().createdAt()).isInstanceOf(String.class); // DateTime: a custom scalar, the JSON value
    }

    @Test
    void webDashboardDecodesInterfaceFragmentsByTypename() throws Exception {
        DashboardQuery.Data dashboard = run(DashboardQuery.INSTANCE, BffOperation.NoVariables.INSTANCE);
        assertThat(dashboard.me().name().first()).isNotBlank();
        assertThat(dashboard.topProducts()).hasSize(10);
        assertThat(dashboard.featuredMedia()).isNotEmpty();
        for (DashboardQuery.Data.FeaturedMedia media : dashboard.featuredMedia()) {
            assertThat(media.title()).isNotBlank();
            switch (media.__typename()) {
                case "Image" -> {
                    assertThat(media.onImage()).isNotNull();
                    assertThat(media.onImage().width()).isPositive();
                    assertThat(media.onVideo()).isNull();
                }
                case "Video" -> {
                    assertThat(media.onVideo()).isNotNull();
                    assertThat(media.onVideo().durationSeconds()).isPositive();
                    assertThat(media.onImage()).isNull();
                }
                default -> throw new AssertionError("unexpected media " + media.__typename());
            }
        }
    }

    @Test
    void webProductPageDecodesEnumsListsAliasesAndNestedFragments() throws Exception {
        String upc = run(HomeQuery.INSTANCE, new HomeQuery.Variables(null)).topProducts().get(0).upc();
        ProductPageQuery.Data page = run(ProductPageQuery.INSTANCE, new ProductPageQuery.Variables(upc, "94110", 2, null));
        ProductPageQuery.Data.Product product = page.product();
        assertThat(product.upc()).isEqualTo(upc);
        assertThat(product.category()).isNotNull().isNotEqualTo(Category.UNKNOWN__);
        assertThat(product.weight()).isPositive();
        assertThat(product.reviews().edges()).hasSizeLessThanOrEqualTo(2);
        assertThat(product.media()).allSatisfy(m -> assertThat(m.onImage() != null || m.onVideo() != null).isTrue());
        assertThat(page.recommendations()).hasSize(4);
    }

    @Test
    void webSearchDecodesEveryMemberOfTheUnion() throws Exception {
        SearchQuery.Data found = run(SearchQuery.INSTANCE, new SearchQuery.Variables("o", 30));
        assertThat(found.search()).isNotEmpty();
        List<String> kinds = new ArrayList<>();
        for (SearchQuery.Data.Search result : found.search()) {
            kinds.add(result.__typename());
            switch (result.__typename()) {
                case "Product" -> assertThat(result.onProduct().name()).isNotBlank();
                case "User" -> assertThat(result.onUser().username()).isNotBlank();
                case "Review" -> assertThat(result.onReview().id()).isNotBlank();
                default -> throw new AssertionError(result.__typename());
            }
        }
        assertThat(kinds).contains("Product");
    }

    @Test
    void eachJarCarriesTheManifestOfItsOperations() throws Exception {
        for (var module : List.of(Map.entry("mobile", MobileOperations.ALL), Map.entry("web", WebOperations.ALL))) {
            JsonNode manifest;
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(
                    "META-INF/vestibule/bff/" + module.getKey() + "/persisted-operations.json")) {
                assertThat(in).as(module.getKey() + " manifest").isNotNull();
                manifest = FederatedGraph.JSON.readTree(in);
            }
            assertThat(manifest.get("format").asText()).isEqualTo("apollo-persisted-query-manifest");
            assertThat(manifest.get("version").asInt()).isEqualTo(1);
            List<String> ids = new ArrayList<>();
            for (JsonNode operation : manifest.get("operations")) {
                String body = operation.get("body").asText();
                assertThat(operation.get("id").asText()).isEqualTo(sha256(body));
                ids.add(operation.get("id").asText());
            }
            assertThat(ids).containsExactlyInAnyOrderElementsOf(module.getValue().stream().map(BffOperation::id).toList());
            for (BffOperation<?, ?> operation : module.getValue()) assertThat(operation.id()).isEqualTo(sha256(operation.document()));
        }
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
