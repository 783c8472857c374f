package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.http.ServerSettings;
import dev.vestibule.router.operation.GraphQLRequest;
import dev.vestibule.tests.testkit.NpmCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explorer page in a real browser: Debian's headless Chromium, driven by playwright-core (npm-installed once into
 * {@code ~/.cache/vestibule}, no browser downloaded), loads the page from a router in development mode in front of the
 * sample subgraphs, types and runs the demo query (twice: planned, then from the plan cache), and a query with a false {@code @include} condition, and reports the answers, the drawn plans, the
 * schema docs and anything
 * the page's Content-Security-Policy refused; and, on its own page, an operation whose plan batches two entity fetches
 * (a {@code BatchFetch}), and how its card reads. Without Chromium or Node the test is skipped, or fails when CI is set
 * (.ci/run installs both). The screenshots go to target/explorer.png (docs/explorer.png is one of them) and target/explorer-batch.png.
 */
class ExplorerBrowserTest {
    private static final String CHROMIUM = System.getProperty("vestibule.chromium", "/usr/bin/chromium");
    private static final String PLAYWRIGHT = "playwright-core@1.65.2";

    @Test
    void theExplorerRunsTheDemoQueryAndDrawsItsPlan(@TempDir Path dir) throws Exception {
        requireTools();
        Path script = install();
        Path screenshot = Path.of(System.getProperty("vestibule.explorer.screenshot", "target/explorer.png")).toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        try (FederatedGraph graph = new FederatedGraph(RouterSettings.DEFAULTS, ServerSettings.DEFAULTS.withDevMode(true))) {
            String origin = "http://127.0.0.1:" + graph.server.port();
            JsonNode seen = drive(script, origin, screenshot, dir.resolve("chromium-profile"));

            // served under a strict policy, and nothing refused by it, nothing asked of another origin, no script error
            assertThat(seen.at("/headers/content-security-policy").asText()).contains("script-src 'self'").doesNotContain("unsafe");
            assertThat(seen.get("cspViolations")).as("CSP violations").isEmpty();
            assertThat(seen.get("foreignRequests")).as("requests to other origins").isEmpty();
            assertThat(seen.get("pageErrors")).as("page errors").isEmpty();

            // what was typed is the demo query, and its answer came back through the page
            assertThat(seen.get("typed").asText()).startsWith("query TopProducts { topProducts(first: 2) {").endsWith("me { username } }");
            JsonNode answer = seen.get("answer");
            assertThat(answer.has("errors")).as("errors in %s", answer).isFalse();
            assertThat(answer.at("/data/topProducts")).hasSize(2);
            assertThat(answer.at("/data/topProducts/0/name").asText()).isNotEmpty();
            assertThat(answer.at("/data/topProducts/0/shippingEstimate").isNumber()).isTrue();
            assertThat(answer.at("/data/topProducts/0/seller/displayName").asText()).isNotEmpty();
            assertThat(answer.at("/data/me/username").asText()).isNotEmpty();
            assertThat(answer.has("extensions")).as("the plan and trace are in the panel, not in the result").isFalse();

            // the drawn plan: its groups, and a card for every fetch with its subgraph, its time and its bar
            JsonNode plan = seen.get("plan");
            List<String> kinds = new ArrayList<>();
            plan.get("kinds").forEach(k -> kinds.add(k.asText()));
            assertThat(kinds).contains("Sequence", "Parallel", "Flatten", "Fetch");
            Set<String> services = new TreeSet<>();
            for (JsonNode fetch : plan.get("fetches")) {
                services.add(fetch.get("service").asText());
                assertThat(fetch.get("duration").asText()).as("time of %s", fetch).matches("\\d+(\\.\\d+)? ms");
                assertThat(fetch.get("bar").asBoolean()).as("timeline bar of %s", fetch).isTrue();
            }
            assertThat(services).containsExactly("accounts", "inventory", "media", "products", "reviews");
            assertThat(plan.get("fetches")).hasSize(graph.router.prepare(
                    new GraphQLRequest(seen.get("typed").asText(), null, null, null), null).plan().fetchCount());
            assertThat(plan.findValuesAsText("entities")).anySatisfy(e -> assertThat(e).matches("batch of 2 .*"));
            // the first run planned the operation, the second found its plan in the cache
            assertThat(seen.get("firstSummary").asText()).contains("router", "prepare", "plan", "execute", "fetches", "planned");
            assertThat(plan.get("summary").asText()).contains("cache hit");

            // the schema docs
            assertThat(seen.get("docs").asText()).contains("topProducts", "me");

            // a Condition ($withReviews false by default): drawn with its branch, the fetch under it not run
            JsonNode conditional = seen.get("conditional");
            JsonNode conditionalAnswer = FederatedGraph.JSON.readTree(conditional.get("answer").asText());
            assertThat(conditionalAnswer.at("/data/topProducts/0/name").asText()).isNotEmpty();
            assertThat(conditionalAnswer.at("/data/topProducts/0").has("reviews")).isFalse();
            List<String> conditionalKinds = new ArrayList<>();
            conditional.get("kinds").forEach(k -> conditionalKinds.add(k.asText()));
            assertThat(conditionalKinds).contains("Condition", "Fetch");
            for (JsonNode fetch : conditional.get("fetches")) {
                if (fetch.get("insideCondition").asBoolean()) {
                    assertThat(fetch.get("duration").asText()).as("%s under the false condition", fetch).isEqualTo("not run");
                } else {
                    assertThat(fetch.get("duration").asText()).as("%s", fetch).matches("\\d+(\\.\\d+)? ms");
                }
            }
            assertThat(conditional.get("fetches")).anySatisfy(f -> assertThat(f.get("insideCondition").asBoolean()).isTrue());
        }
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }

    /**
     * A plan with a {@code BatchFetch}: reviews asked for products at two paths with different arguments, two entity
     * fetches to reviews in one request, the second under an {@code @include} of its own. The card shows the
     * subgraph, that it is one request of two entity fetches, and each part: its aliased {@code _entities} field, its
     * path, its condition, and what it asks of each object.
     */
    @Test
    void theExplorerDrawsABatchOfEntityFetches(@TempDir Path dir) throws Exception {
        requireTools();
        Path script = install();
        Path screenshot = Path.of(System.getProperty("vestibule.explorer.batch-screenshot", "target/explorer-batch.png")).toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        try (FederatedGraph graph = new FederatedGraph(RouterSettings.DEFAULTS, ServerSettings.DEFAULTS.withDevMode(true))) {
            JsonNode seen = drive(script, "http://127.0.0.1:" + graph.server.port(), screenshot, dir.resolve("chromium-profile"), "batch");
            assertThat(seen.get("cspViolations")).as("CSP violations").isEmpty();
            assertThat(seen.get("foreignRequests")).as("requests to other origins").isEmpty();
            assertThat(seen.get("pageErrors")).as("page errors").isEmpty();

            JsonNode batch = seen.get("batch");
            JsonNode answer = FederatedGraph.JSON.readTree(batch.get("answer").asText());
            assertThat(answer.has("errors")).as("errors in %s", answer).isFalse();
            assertThat(answer.at("/data/topProducts")).hasSize(2);
            assertThat(answer.at("/data/topProducts/0/reviews/totalCount").isInt()).as("%s", answer).isTrue();
            assertThat(answer.at("/data/product/reviews/totalCount").isInt()).as("%s", answer).isTrue();

            // one BatchFetch, beside the products fetch; its parts are not drawn as fetches of their own
            List<String> kinds = new ArrayList<>();
            batch.get("kinds").forEach(k -> kinds.add(k.asText()));
            assertThat(kinds).containsExactly("Sequence", "Fetch", "BatchFetch");
            assertThat(batch.get("service").asText()).isEqualTo("reviews");
            assertThat(batch.get("duration").asText()).matches("\\d+(\\.\\d+)? ms");
            assertThat(batch.get("bar").asBoolean()).as("timeline bar").isTrue();
            // two products at topProducts, one at product: three representations in the one request
            assertThat(batch.get("badge").asText()).isEqualTo("2 entity fetches in one request, 3 entities");

            JsonNode parts = batch.get("parts");
            assertThat(parts).hasSize(2);
            assertThat(parts.get(0).get("alias").asText()).isEqualTo("_e0");
            assertThat(parts.get(0).get("path").asText()).isEqualTo("topProducts.@");
            assertThat(parts.get(0).get("operation").asText()).isEqualTo("""
                    ... on Product {
                      reviews(first:1) {
                        totalCount
                      }
                    }""");
            assertThat(parts.get(0).get("conditions").isNull()).as("conditions of %s", parts.get(0)).isTrue();
            assertThat(parts.get(1).get("alias").asText()).isEqualTo("_e1");
            assertThat(parts.get(1).get("path").asText()).isEqualTo("product");
            assertThat(parts.get(1).get("conditions").asText()).isEqualTo("if $more");
            assertThat(parts.get(1).get("operation").asText()).isEqualTo("""
                    ... on Product {
                      ... @include(if: $more) {
                        reviews(first:2) {
                          totalCount
                        }
                      }
                    }""");
            // read as a whole, a part says which field, where from, under what condition, and what it asks
            assertThat(parts.get(1).get("text").asText()).startsWith("_e1").contains("product", "if $more", "reviews(first:2)");
            assertThat(batch.get("card").asText()).startsWith("reviews").contains("2 entity fetches in one request");
        }
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }

    private static void requireTools() {
        boolean chromium = Files.isExecutable(Path.of(CHROMIUM));
        // playwright-core 1.65 needs Node 20 or newer
        boolean node = nodeMajor() >= 20 && run(List.of("npm", "--version"));
        if (chromium && node) return;
        String missing = (chromium ? "" : "Chromium at " + CHROMIUM + " (apt-get install chromium) ") + (node ? "" : "Node.js 20+ and npm");
        if (System.getenv("CI") != null) fail("the explorer's browser test needs " + missing + "; .ci/run installs them");
        Assumptions.abort("skipped: no " + missing);
    }

    private static JsonNode drive(Path script, String origin, Path screenshot, Path profile) throws IOException, InterruptedException {
        return drive(script, origin, screenshot, profile, "demo");
    }

    private static JsonNode drive(Path script, String origin, Path screenshot, Path profile, String scenario)
            throws IOException, InterruptedException {
        Process node = new ProcessBuilder("node", script.toString(), CHROMIUM, origin, screenshot.toString(), profile.toString(), scenario)
                .directory(script.getParent().toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = node.getInputStream().readAllBytes();
        if (!node.waitFor(3, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            fail("the browser script did not finish in 3 minutes");
        }
        String text = new String(out, StandardCharsets.UTF_8).trim();
        if (node.exitValue() != 0) fail("the browser script failed (exit " + node.exitValue() + "): " + text);
        String last = text.lines().reduce((a, b) -> b).orElse("");
        return FederatedGraph.JSON.readTree(last);
    }

    /** npm-installs playwright-core (the driver only; the browser is Debian's) into the cache once, and the script. */
    private static synchronized Path install() throws IOException, InterruptedException {
        Path folder = NpmCache.install("explorer-" + PLAYWRIGHT.replace('@', '-'), "playwright-core", List.of(PLAYWRIGHT),
                Duration.ofMinutes(10));
        Path script = folder.resolve("explorer-browser.mjs");
        try (InputStream in = ExplorerBrowserTest.class.getResourceAsStream("/explorer/explorer-browser.mjs")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return script;
    }

    /** The major version of the node on the PATH; 0 when there is none. */
    private static int nodeMajor() {
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim(); // v20.20.2
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0 || !version.startsWith("v")) return 0;
            return Integer.parseInt(version.substring(1, version.indexOf('.')));
        } catch (IOException | InterruptedException | RuntimeException e) {
            return 0;
        }
    }

    private static boolean run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
