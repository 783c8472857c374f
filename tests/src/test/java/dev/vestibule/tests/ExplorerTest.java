package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.config.ConfigException;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.http.ServerSettings;
import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.samples.server.FaultSettings;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explorer page over HTTP (ExplorerBrowserTest drives it in Chromium): where it is served and where not, its
 * security headers, and the plan and trace a request gets in extensions, with nothing of the subgraphs' addresses.
 */
class ExplorerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static final String DEMO = """
            query TopProducts { topProducts(first: 2) { name price inStock shippingEstimate(zip: "94110")
              reviews(first: 1) { totalCount edges { node { rating author { username } } } }
              media { __typename title likes } seller { displayName } }
              me { username } }""";

    private static HttpResponse<byte[]> get(FederatedGraph graph, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + graph.server.port() + path)).GET();
        if (headers.length > 0) request.headers(headers);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode traced(FederatedGraph graph) throws Exception {
        return traced(graph, "true");
    }

    private static JsonNode traced(FederatedGraph graph, String planHeader) throws Exception {
        String body = FederatedGraph.JSON.writeValueAsString(Map.of("query", DEMO));
        HttpResponse<String> response = graph.postRaw(body, null, RouterServer.PLAN_HEADER, planHeader);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(subgraphAddresses(graph)).noneMatch(response.body()::contains);
        return FederatedGraph.JSON.readTree(response.body());
    }

    private static List<String> subgraphAddresses(FederatedGraph graph) {
        List<String> out = new ArrayList<>();
        for (String name : SampleSubgraphs.names()) out.add(graph.subgraph(name).url().replaceFirst("/graphql$", ""));
        return out;
    }

    @Test
    void inDevelopmentModeThePageIsServedUnderAStrictPolicyAndBrowserGetsOfGraphqlToo() throws Exception {
        try (FederatedGraph graph = new FederatedGraph(RouterSettings.DEFAULTS, ServerSettings.DEFAULTS.withDevMode(true))) {
            HttpResponse<byte[]> page = get(graph, "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            String html = new String(page.body());
            assertThat(html).contains("<script src=\"/explorer/explorer.js\"></script>").doesNotContain("http://", "https://");
            assertThat(html.split("<script").length - 1).as("only the one external script").isEqualTo(1);
            String csp = page.headers().firstValue("content-security-policy").orElseThrow();
            assertThat(csp).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe", "http:", "https:", "*");
            assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");

            // a browser opening /graphql gets the page as well
            HttpResponse<byte[]> browser = get(graph, "/graphql", "accept", BROWSER_ACCEPT);
            assertThat(browser.statusCode()).isEqualTo(200);
            assertThat(new String(browser.body())).isEqualTo(html);

            // the script: whole, gzipped for those who accept it, 304 while unchanged
            HttpResponse<byte[]> script = get(graph, "/explorer/explorer.js");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
            assertThat(script.body().length).isGreaterThan(100_000);
            HttpResponse<byte[]> gzipped = get(graph, "/explorer/explorer.js", "accept-encoding", "gzip");
            assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
            assertThat(gzipped.body().length).isLessThan(script.body().length);
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
                assertThat(in.readAllBytes()).isEqualTo(script.body());
            }
            String etag = script.headers().firstValue("etag").orElseThrow();
            assertThat(get(graph, "/explorer/explorer.js", "if-none-match", etag).statusCode()).isEqualTo(304);
            assertThat(get(graph, "/explorer/explorer.css").statusCode()).isEqualTo(200);
            assertThat(get(graph, "/explorer/nothing.js").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aGetOfGraphqlThatIsNoPageLoadStillMeetsTheCsrfCheck() throws Exception {
        try (FederatedGraph graph = new FederatedGraph(RouterSettings.DEFAULTS, ServerSettings.DEFAULTS.withDevMode(true))) {
            // a simple GET (no preflight-forcing header), asking for JSON or anything: refused as before
            for (String accept : List.of("application/json", "*/*", "application/graphql-response+json, text/html")) {
                HttpResponse<byte[]> refused = get(graph, "/graphql?query=%7B__typename%7D", "accept", accept);
                assertThat(refused.statusCode()).as(accept).isEqualTo(400);
                assertThat(new String(refused.body())).as(accept).contains("CSRF");
            }
            // a POST to / is no page load either
            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + graph.server.port() + "/"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void inProductionThereIsNoPageAndNoPlanUnlessTheConfigSaysSo(@TempDir Path dir) throws Exception {
        try (FederatedGraph graph = new FederatedGraph(RouterSettings.DEFAULTS)) {
            assertThat(get(graph, "/").statusCode()).isEqualTo(404);
            HttpResponse<byte[]> browser = get(graph, "/graphql", "accept", BROWSER_ACCEPT);
            assertThat(browser.statusCode()).isEqualTo(400);
            assertThat(new String(browser.body())).contains("CSRF");
            assertThat(traced(graph).has("extensions")).isFalse();
        }
        // the page without plans: the header is ignored
        RouterConfig pageOnly = RouterConfig.load(Files.writeString(dir.resolve("page.yaml"), "explorer:\n  enabled: true\n"));
        try (FederatedGraph graph = new FederatedGraph(pageOnly)) {
            assertThat(get(graph, "/").statusCode()).isEqualTo(200);
            assertThat(traced(graph).has("extensions")).isFalse();
        }
        // plans without the page
        RouterConfig plansOnly = RouterConfig.load(Files.writeString(dir.resolve("plans.yaml"), "explorer:\n  expose_plans: true\n"));
        try (FederatedGraph graph = new FederatedGraph(plansOnly)) {
            assertThat(get(graph, "/").statusCode()).isEqualTo(404);
            assertThat(traced(graph).at("/extensions/queryPlanTree/kind").asText()).isEqualTo("QueryPlan");
        }
        // plans only for those who send the secret
        RouterConfig secret = RouterConfig.load(Files.writeString(dir.resolve("secret.yaml"),
                "explorer:\n  enabled: true\n  expose_plans: true\n  plan_secret: ${PLAN_SECRET}\n"),
                name -> name.equals("PLAN_SECRET") ? "c0ffee-0123456789abcdef" : null);
        assertThat(secret.server().explorer().toString()).doesNotContain("c0ffee");
        try (FederatedGraph graph = new FederatedGraph(secret)) {
            assertThat(traced(graph, "true").has("extensions")).isFalse();
            assertThat(traced(graph, "c0ffee-0123456789abcdeX").has("extensions")).isFalse();
            assertThat(traced(graph, "c0ffee-0123456789abcdef").at("/extensions/trace/fetches")).isNotEmpty();
        }
        assertThatThrownBy(() -> RouterConfig.load(Files.writeString(dir.resolve("bad.yaml"), "explorer:\n  enable: true\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("enable");
        assertThatThrownBy(() -> RouterConfig.load(Files.writeString(dir.resolve("short.yaml"),
                "explorer:\n  expose_plans: true\n  plan_secret: abc\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("explorer.plan_secret").hasMessageContaining("16");
        assertThatThrownBy(() -> RouterConfig.load(Files.writeString(dir.resolve("alone.yaml"),
                "explorer:\n  plan_secret: 0123456789abcdef0123\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expose_plans: true");
    }

    @Test
    void aRequestThatAsksForItsPlanGetsThePlanTreeAndItsTrace() throws Exception {
        try (FederatedGraph graph = new FederatedGraph(RouterSettings.DEFAULTS, ServerSettings.DEFAULTS.withDevMode(true))) {
            JsonNode first = traced(graph);
            assertThat(first.at("/data/topProducts")).hasSize(2);
            assertThat(first.at("/extensions/queryPlan").asText()).contains("Fetch(service: \"products\")");
            JsonNode tree = first.at("/extensions/queryPlanTree");
            assertThat(tree.at("/node/kind").asText()).isEqualTo("Sequence");
            List<String> planned = new ArrayList<>();
            tree.findParents("serviceName").forEach(fetch -> planned.add(fetch.get("operationName").asText()));
            assertThat(planned).hasSize(tree.get("fetches").asInt());

            JsonNode trace = first.at("/extensions/trace");
            assertThat(trace.at("/plan/cacheHit").asBoolean()).isFalse();
            for (String stage : List.of("prepare", "plan", "execute")) {
                assertThat(trace.at("/" + stage + "/durationMs").isNumber()).as(stage).isTrue();
            }
            double executeStart = trace.at("/execute/startMs").asDouble();
            double executeEnd = executeStart + trace.at("/execute/durationMs").asDouble();
            List<String> traced = new ArrayList<>();
            for (JsonNode fetch : trace.get("fetches")) {
                traced.add(fetch.get("operationName").asText());
                // every fetch ran inside the execution, answered 200
                assertThat(fetch.get("startMs").asDouble()).isBetween(executeStart, executeEnd);
                assertThat(fetch.get("startMs").asDouble() + fetch.get("durationMs").asDouble()).isLessThanOrEqualTo(executeEnd + 0.001);
                assertThat(fetch.get("status").asInt()).as("status of %s", fetch).isEqualTo(200);
                assertThat(fetch.has("error")).isFalse();
            }
            assertThat(traced).containsExactlyInAnyOrderElementsOf(planned);
            // entity fetches carry their batch size: two products, each with one seller
            assertThat(trace.get("fetches")).filteredOn(f -> f.get("service").asText().equals("inventory"))
                    .singleElement().satisfies(f -> assertThat(f.get("entities").asInt()).isEqualTo(2));

            // the second time the plan comes from the cache; answers that expose a plan are never reused
            JsonNode second = traced(graph);
            assertThat(second.at("/extensions/trace/plan/cacheHit").asBoolean()).isTrue();
            assertThat(graph.observed.reusedAnswers()).isZero();
        }
    }

    @Test
    void aFailedFetchIsTracedWithItsCodeAndNotItsAddress() throws Exception {
        try (FederatedGraph graph = new FederatedGraph(RouterSettings.DEFAULTS, ServerSettings.DEFAULTS.withDevMode(true))) {
            graph.subgraph("inventory").setFaults(FaultSettings.NONE.withHttp500Rate(1.0));
            JsonNode answer = traced(graph);
            assertThat(answer.get("errors")).isNotEmpty();
            JsonNode inventory = answer.at("/extensions/trace/fetches").findParents("service").stream()
                    .filter(f -> f.get("service").asText().equals("inventory")).findFirst().orElseThrow();
            assertThat(inventory.get("status").asInt()).isEqualTo(500);
            assertThat(inventory.get("error").asText()).isNotBlank();
        }
    }
}
