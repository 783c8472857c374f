package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.config.ConfigException;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.middleware.Authenticator;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.router.middleware.HeaderRules;
import dev.vestibule.samples.server.RequestLog;
import dev.vestibule.tests.testkit.Tokens;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The headers that carry the verified identity ({@code forward_claims}) are the router's alone, over real sockets:
 * every kind of caller (anonymous in optional mode, a token with every claim, a token without scope, a token without
 * sub, an API key) sends its own x-user-id / x-user-scopes, and the header rules try every way to pass them on (by
 * pattern to accounts, by name to reviews, renamed onto the identity's names and inserted to products). No subgraph's
 * request log ever shows a client's value. And a claim that cannot be a header value (CR/LF, NUL) is refused with a
 * 401 that never echoes it; a non-ASCII or '%' claim is percent-encoded.
 */
class IdentityHeadersTest {
    private static final String SECRET = Tokens.SECRET;
    private static final String ISSUER = Tokens.ISSUER;
    private static final String API_KEY = "mobile-key-0123456789";
    /** Touches accounts (me), products (topProducts) and reviews (Product.reviews). */
    private static final String QUERY = "{\"query\":\"{ me { username } topProducts(first: 1) { name reviews(first: 1) { totalCount } } }\"}";
    private static final Set<String> SUBGRAPHS = Set.of("accounts", "products", "reviews");
    private static final Map<String, String> SPOOFED = Map.of("x-user-id", "spoofed-id", "x-user-scopes", "spoofed-scopes",
            "X-User-Id", "spoofed-id-capitalised", "x-client-user", "spoofed-renamed", "x-client-scopes", "spoofed-renamed-scopes");

    private static FederatedGraph graph;
    private static EdgePolicy policy;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        String keyHash = HexFormat.of().formatHex(Authenticator.sha256(API_KEY));
        RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), """
                authentication:
                  mode: optional
                  jwt:
                    issuers:
                      - issuer: %s
                        secret: %s
                  api_keys:
                    keys:
                      - sha256: %s
                        consumer: mobile-app
                  forward_claims:
                    sub: x-user-id
                    scope: x-user-scopes
                headers:
                  subgraphs:
                    accounts:
                      - propagate: { matching: "x-user-.*" }
                    reviews:
                      - propagate: { named: x-user-id }
                      - propagate: { named: x-user-scopes, default: none }
                """.formatted(ISSUER, SECRET, keyHash)));
        // the config refuses rules that write an identity header (below); rules built in code can still try, and the
        // router must strip them as well
        Map<String, List<HeaderRules.Rule>> bySubgraph = new LinkedHashMap<>(config.headers().bySubgraph());
        bySubgraph.put("products", List.of(new HeaderRules.Propagate("x-client-user", null, "x-user-id", null),
                new HeaderRules.Propagate("x-client-scopes", null, "x-user-scopes", "default-scopes"),
                new HeaderRules.Insert("x-user-id", "inserted-id")));
        policy = EdgePolicy.of(config.browser(), config.authentication(), config.rateLimits(), config.persistedQueries(),
                new HeaderRules(config.headers().all(), bySubgraph));
        graph = new FederatedGraph(RouterSettings.DEFAULTS, policy);
    }

    @AfterAll
    static void stop() {
        if (graph != null) graph.close();
        if (policy != null) policy.close();
    }

    @BeforeEach
    void reset() {
        graph.resetLogsAndFaults();
    }

    private static String token(UnaryOperator<JWTClaimsSet.Builder> claims) {
        return Tokens.hs256(SECRET, claims.apply(Tokens.claims(null, Duration.ofMinutes(10))).build());
    }

    private record CallerKind(String name, List<String> credentials, String userId, String scopes) {}

    @Test
    void noClientValueOfAnIdentityHeaderReachesAnySubgraphWhateverTheCallerAndTheRule() throws Exception {
        List<CallerKind> callers = List.of(
                new CallerKind("anonymous (optional mode)", List.of(), null, null),
                new CallerKind("token with sub and scope", List.of("authorization", "Bearer " + token(c -> c.subject("u1").claim("scope", "read write"))),
                        "u1", "read write"),
                new CallerKind("token without scope", List.of("authorization", "Bearer " + token(c -> c.subject("u1"))), "u1", null),
                new CallerKind("token without sub", List.of("authorization", "Bearer " + token(c -> c.claim("scope", "read"))), null, "read"),
                new CallerKind("API key", List.of("x-api-key", API_KEY), "mobile-app", null));
        List<String> failures = new ArrayList<>();
        for (CallerKind caller : callers) {
            graph.resetLogsAndFaults();
            List<String> headers = new ArrayList<>(caller.credentials());
            SPOOFED.forEach((name, value) -> {
                headers.add(name);
                headers.add(value);
            });
            HttpResponse<String> response = graph.postRaw(QUERY, "application/json", headers.toArray(String[]::new));
            assertThat(response.statusCode()).as("%s: %s", caller.name(), response.body()).isEqualTo(200);
            assertThat(response.body()).as(caller.name()).contains("\"username\"").contains("\"totalCount\"");
            for (String subgraph : SUBGRAPHS) {
                List<RequestLog.Entry> entries = graph.subgraph(subgraph).requestLog().entries();
                assertThat(entries).as("%s: %s was called", caller.name(), subgraph).isNotEmpty();
                for (RequestLog.Entry entry : entries) {
                    Map<String, String> received = lower(entry);
                    received.forEach((name, value) -> {
                        if (SPOOFED.containsValue(value) || value.startsWith("spoofed") || value.equals("inserted-id")
                                || value.equals("default-scopes") || value.equals("none")) {
                            failures.add(caller.name() + ": " + subgraph + " received " + name + ": " + value);
                        }
                    });
                    if (!Objects.equals(received.get("x-user-id"), caller.userId())) {
                        failures.add(caller.name() + ": " + subgraph + " received x-user-id " + received.get("x-user-id") + ", expected " + caller.userId());
                    }
                    if (!Objects.equals(received.get("x-user-scopes"), caller.scopes())) {
                        failures.add(caller.name() + ": " + subgraph + " received x-user-scopes " + received.get("x-user-scopes") + ", expected " + caller.scopes());
                    }
                }
            }
        }
        assertThat(failures).as("client values of identity headers that reached a subgraph").isEmpty();
    }

    @Test
    void aRuleThatWouldWriteAnIdentityHeaderIsAConfigError(@TempDir Path dir) throws Exception {
        String auth = """
                authentication:
                  jwt:
                    issuers:
                      - issuer: %s
                        secret: %s
                  forward_claims:
                    sub: X-User-Id
                """.formatted(ISSUER, SECRET);
        Path renamed = Files.writeString(dir.resolve("renamed.yaml"), auth + """
                headers:
                  all:
                    - propagate: { named: x-client-user, rename: x-user-id }
                """);
        assertThatThrownBy(() -> RouterConfig.load(renamed)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("headers.all[0].propagate.rename").hasMessageContaining("x-user-id carries the verified identity");
        Path inserted = Files.writeString(dir.resolve("inserted.yaml"), auth + """
                headers:
                  subgraphs:
                    accounts:
                      - insert: { name: X-USER-ID, value: admin }
                """);
        assertThatThrownBy(() -> RouterConfig.load(inserted)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("headers.subgraphs.accounts[0].insert.name");
    }

    @Test
    void aClaimWithAControlCharacterIsRefusedWithoutEchoingIt() throws Exception {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("CR LF in sub", token(c -> c.subject("u1\r\nx-injected: yes").claim("scope", "read")));
        tokens.put("LF in sub", token(c -> c.subject("u1\nx-injected")));
        tokens.put("NUL in sub", token(c -> c.subject("u1\u0000x-injected")));
        tokens.put("CR in one scp entry", token(c -> c.subject("u1").claim("scp", List.of("read", "write\rx-injected"))));
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            graph.resetLogsAndFaults();
            HttpResponse<String> response = graph.postRaw(QUERY, "application/json", "authorization", "Bearer " + token.getValue());
            String why = token.getKey();
            assertThat(response.statusCode()).as("%s: %s", why, response.body()).isEqualTo(401);
            String claim = why.contains("scp") ? "scope" : "sub";
            assertThat(response.body()).as(why).contains("UNAUTHENTICATED")
                    .contains("the token's claim '" + claim + "' cannot be sent as a header")
                    .doesNotContain("x-injected").doesNotContain("Exception").doesNotContain("Unexpected char");
            assertThat(response.headers().firstValue("www-authenticate")).as(why).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("Bearer realm=\"vestibule\", error=\"invalid_token\"").doesNotContain("x-injected"));
            assertThat(graph.totalSubgraphRequests()).as("%s: no subgraph saw the request", why).isZero();
        }
    }

    @Test
    void aNonAsciiOrPercentClaimIsPercentEncodedAndDecodesBackExactly() throws Exception {
        for (String subject : List.of("jürgen-☃", "100%", "caf%C3%A9", "café")) {
            graph.resetLogsAndFaults();
            HttpResponse<String> response = graph.postRaw(QUERY, "application/json", "authorization",
                    "Bearer " + token(c -> c.subject(subject)));
            assertThat(response.statusCode()).as("%s: %s", subject, response.body()).isEqualTo(200);
            String sent = lower(graph.subgraph("accounts").requestLog().entries().getFirst()).get("x-user-id");
            assertThat(sent).as(subject).matches("[\\x20-\\x7e]+");
            assertThat(URLDecoder.decode(sent, StandardCharsets.UTF_8)).as("%s sent as %s", subject, sent).isEqualTo(subject);
        }
        // two claims never share a header value: the literal text of an encoding is encoded itself
        graph.resetLogsAndFaults();
        graph.postRaw(QUERY, "application/json", "authorization", "Bearer " + token(c -> c.subject("caf%C3%A9")));
        String literal = lower(graph.subgraph("accounts").requestLog().entries().getFirst()).get("x-user-id");
        graph.resetLogsAndFaults();
        graph.postRaw(QUERY, "application/json", "authorization", "Bearer " + token(c -> c.subject("café")));
        String encoded = lower(graph.subgraph("accounts").requestLog().entries().getFirst()).get("x-user-id");
        assertThat(literal).isEqualTo("caf%25C3%25A9").isNotEqualTo(encoded);
        assertThat(encoded).isEqualTo("caf%C3%A9");
    }

    private static Map<String, String> lower(RequestLog.Entry entry) {
        Map<String, String> headers = new HashMap<>();
        entry.headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        return headers;
    }
}
