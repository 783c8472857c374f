package dev.vestibule.tests.bff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vestibule.bff.mobile.MobileModule;
import dev.vestibule.bff.web.WebModule;
import dev.vestibule.router.bff.StandaloneBff;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.samples.server.RequestLog;
import dev.vestibule.tests.testkit.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standalone mode over real sockets: bff-mobile and bff-web as their own server (Javalin) in front of a real router
 * (the sample subgraphs behind it, the modules' manifests as its per-client safelists), sending each operation by its
 * persisted id. Each route answers as the same module mounted in the router's process does; the launcher's
 * {@code ./vestibule bff mobile --router URL} runs it as its own process.
 */
class StandaloneBffTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static BffGraph graph;
    private static StandaloneBff standalone;
    private static Path bffConfig;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        // the router: authentication as the in-process tests have it, and each client held to its module's manifest
        Path routerConfig = Files.writeString(dir.resolve("router.yaml"), BffHostTest.AUTHENTICATION + """
                persisted_queries:
                  clients:
                    mobile: classpath
                    web: classpath
                """);
        // the standalone BFF verifies the same tokens at its own edge (its config's authentication section)
        bffConfig = Files.writeString(dir.resolve("bff.yaml"), BffHostTest.AUTHENTICATION);
        RouterConfig config = RouterConfig.load(routerConfig);
        graph = new BffGraph(config, List.of(new MobileModule(), new WebModule()));
        standalone = StandaloneBff.start(List.of(new MobileModule(), new WebModule()), URI.create(graph.base() + "/graphql"),
                "apollographql-client-name", RouterConfig.load(bffConfig), "127.0.0.1", 0);
        // once each, so that a cold JIT on a loaded machine does not run the first comparison past the routes' 2 s deadline
        for (String base : List.of(graph.base(), standaloneBase())) {
            for (int i = 0; i < 3; i++) get(base, "/mobile/v1/home?first=4");
        }
    }

    @AfterAll
    static void stop() {
        if (standalone != null) standalone.close();
        if (graph != null) graph.close();
    }

    @AfterEach
    void heal() {
        graph.healAll();
    }

    private static HttpResponse<String> get(String base, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) request.headers(headers);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String base, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) request.headers(headers);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String standaloneBase() {
        return "http://127.0.0.1:" + standalone.port();
    }

    /** The same request to the in-process route and to the standalone one: same status, body and caching headers. */
    private static HttpResponse<String> assertSameAnswer(String path, String... headers) throws Exception {
        HttpResponse<String> inProcess = get(graph.base(), path, headers);
        HttpResponse<String> alone = get(standaloneBase(), path, headers);
        assertThat(alone.statusCode()).as(alone.body()).isEqualTo(inProcess.statusCode());
        assertThat(withoutRequestId(alone.body())).isEqualTo(withoutRequestId(inProcess.body()));
        for (String header : List.of("cache-control", "etag")) {
            assertThat(alone.headers().firstValue(header)).as(header).isEqualTo(inProcess.headers().firstValue(header));
        }
        // the same media type (Jetty's servlet layer writes it without the space before charset)
        assertThat(alone.headers().firstValue("content-type").map(t -> t.replace(" ", "")))
                .isEqualTo(inProcess.headers().firstValue("content-type").map(t -> t.replace(" ", "")));
        return alone;
    }

    /** The body as JSON, without a problem's requestId (each server names its own request). */
    private static JsonNode withoutRequestId(String body) throws Exception {
        JsonNode tree = BffGraph.JSON.readTree(body);
        if (tree instanceof ObjectNode object) object.remove("requestId");
        return tree;
    }

    @Test
    void mobileHomeAnswersAsInProcessWithTheCallersIdentityPassedToTheRouterByPersistedId() throws Exception {
        String token = "Bearer " + BffHostTest.token("u1");
        graph.subgraph("accounts").requestLog().clear();
        HttpResponse<String> home = assertSameAnswer("/mobile/v1/home?first=4", "authorization", token);
        assertThat(home.statusCode()).isEqualTo(200);
        JsonNode body = BffGraph.json(home);
        assertThat(body.get("products")).hasSize(4);
        // the router verified the passed-through token and forwarded its subject: the signed-in user is there
        assertThat(body.get("user").asText()).isNotEmpty();
        List<RequestLog.Entry> accounts = graph.subgraph("accounts").requestLog().entries();
        assertThat(accounts).anyMatch(e -> e.headers().entrySet().stream()
                .anyMatch(h -> h.getKey().equalsIgnoreCase("x-user-id") && h.getValue().equals("u1")));
        // anonymous, another variable
        assertThat(BffGraph.json(assertSameAnswer("/mobile/v1/home?first=2")).get("products")).hasSize(2);
        assertSameAnswer("/mobile/v1/products/100002");
        assertThat(assertSameAnswer("/mobile/v1/products/no-such-upc").statusCode()).isEqualTo(404);
        assertThat(assertSameAnswer("/mobile/v1/home?first=99").statusCode()).isEqualTo(400);
        // conditional GET on the standalone's ETag
        assertThat(get(standaloneBase(), "/mobile/v1/home?first=4", "authorization", token, "if-none-match",
                home.headers().firstValue("etag").orElseThrow()).statusCode()).isEqualTo(304);
        // the OpenAPI document is the module's own, byte for byte
        assertThat(get(standaloneBase(), "/mobile/openapi.json").body()).isEqualTo(get(graph.base(), "/mobile/openapi.json").body());
    }

    @Test
    void policiesHoldOverTheHopPartialWithGapsAndAuthorNeedsIdentity() throws Exception {
        graph.subgraph("media").setFaults(FaultSettings.NONE.withHttp500Rate(1));
        HttpResponse<String> home = assertSameAnswer("/mobile/v1/home?first=3");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(BffGraph.json(home).get("gaps").findValuesAsText("section")).anyMatch(s -> s.contains("coverImage"));
        assertThat(home.body()).doesNotContain("127.0.0.1");
        graph.healAll();

        String review = "{\"rating\": 4, \"title\": \"Standalone\", \"text\": \"Written through the standalone BFF\"}";
        HttpResponse<String> anonymous = post(standaloneBase(), "/mobile/v1/products/100002/reviews", review);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("content-type")).hasValue("application/problem+json");
        HttpResponse<String> created = post(standaloneBase(), "/mobile/v1/products/100002/reviews", review,
                "authorization", "Bearer " + BffHostTest.token("u3"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode written = BffGraph.json(graph.graphql("{ review(id: \"" + BffGraph.json(created).get("id").asText()
                + "\") { title author { id } } }"));
        assertThat(written.at("/data/review/author/id").asText()).as(written.toString()).isEqualTo("u3");
        // a token the router refuses is refused by the standalone BFF's own edge first (same authentication)
        HttpResponse<String> forged = get(standaloneBase(), "/mobile/v1/home", "authorization", "Bearer not-a-token");
        assertThat(forged.statusCode()).isEqualTo(401);
    }

    @Test
    void webSessionLoginAndDashboardWorkStandalone() throws Exception {
        HttpResponse<String> login = post(standaloneBase(), "/web/login", "{}", "authorization", "Bearer " + BffHostTest.token("u1"));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String session = login.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("__Host-web-session="))
                .findFirst().orElseThrow();
        String cookie = session.substring(0, session.indexOf(';'));
        HttpResponse<String> dashboard = assertSameAnswer("/web/dashboard", "cookie", cookie);
        assertThat(dashboard.statusCode()).as(dashboard.body()).isEqualTo(200);
        assertThat(BffGraph.json(dashboard).at("/user/id").asText()).isEqualTo("u1");
    }

    @Test
    void aRouterWithoutTheClientsSafelistGetsTheDocumentOnceByAutomaticPersistedQueries(@TempDir Path dir) throws Exception {
        // a router that knows nothing of the module: no safelist, no module mounted, automatic persisted queries on
        try (BffGraph plain = new BffGraph(BffHostTest.config(dir), List.of());
             StandaloneBff alone = StandaloneBff.start(List.of(new MobileModule()), URI.create(plain.base() + "/graphql"),
                     "apollographql-client-name", RouterConfig.DEFAULTS, "127.0.0.1", 0)) {
            String base = "http://127.0.0.1:" + alone.port();
            HttpResponse<String> inProcess = get(graph.base(), "/mobile/v1/products/100003");
            for (int i = 0; i < 2; i++) { // the first registers the document under its id, the second runs by id alone
                HttpResponse<String> product = get(base, "/mobile/v1/products/100003");
                assertThat(product.statusCode()).as(product.body()).isEqualTo(200);
                assertThat(withoutRequestId(product.body())).isEqualTo(withoutRequestId(inProcess.body()));
            }
        }
    }

    @Test
    void launcherRunsTheMobileModuleAsItsOwnProcess(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("bff.log");
        Process bff = new ProcessBuilder("bash", ROOT.resolve("vestibule").toString(), "bff", "mobile", "--router", graph.base(),
                "--port", "0", "--config", bffConfig.toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/mobile");
            Matcher matcher = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < until && bff.isAlive()) {
                matcher = listening.matcher(Files.readString(log));
                if (matcher.find()) break;
                matcher = null;
                Thread.sleep(200);
            }
            assertThat(matcher).as(Files.readString(log)).isNotNull();
            String base = "http://127.0.0.1:" + matcher.group(1);
            String token = "Bearer " + BffHostTest.token("u1");
            HttpResponse<String> alone = get(base, "/mobile/v1/home?first=4", "authorization", token);
            HttpResponse<String> inProcess = get(graph.base(), "/mobile/v1/home?first=4", "authorization", token);
            assertThat(alone.statusCode()).as(alone.body()).isEqualTo(200);
            assertThat(BffGraph.JSON.readTree(alone.body())).isEqualTo(BffGraph.JSON.readTree(inProcess.body()));
            assertThat(get(base, "/web/dashboard").statusCode()).isEqualTo(404); // only the mobile module runs there
        } finally {
            bff.destroy();
            if (!bff.waitFor(30, TimeUnit.SECONDS)) bff.destroyForcibly();
        }
    }
}
