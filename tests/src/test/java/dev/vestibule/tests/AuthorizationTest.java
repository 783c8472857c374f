package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.composition.Composer;
import dev.vestibule.router.composition.CompositionResult;
import dev.vestibule.router.composition.SubgraphSource;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.samples.server.FaultSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * @authenticated and @requiresScopes enforced by the router over HTTP: the sample graph composed with accounts'
 * User.membership @authenticated and User.role @requiresScopes([["admin"]]); the real sample subgraphs behind it.
 * A field the caller may not see is answered null with an error at its path, is never asked of a subgraph, and the
 * rest of the operation runs.
 */
class AuthorizationTest {
    private static final String SECRET = "an-hmac-secret-of-at-least-32-characters";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SampleSubgraphs.Running subgraphs;
    private static Router router;
    private static RouterServer server;
    private static EdgePolicy policy;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        subgraphs = SampleSubgraphs.startAll(0, FaultSettings.NONE);
        List<SubgraphSource> sources = new ArrayList<>();
        for (String name : SampleSubgraphs.names()) {
            String sdl = Files.readString(Path.of("../schemas", name + ".graphql"));
            if (name.equals("accounts")) {
                sdl = sdl.replace("import: [\"@key\"", "import: [\"@authenticated\", \"@requiresScopes\", \"@key\"")
                        .replace("  membership: MembershipTier", "  membership: MembershipTier @authenticated")
                        .replace("  role: Role!", "  role: Role! @requiresScopes(scopes: [[\"admin\"]])");
            }
            sources.add(new SubgraphSource(name, subgraphs.get(name).url(), sdl));
        }
        CompositionResult composed = Composer.compose(sources);
        assertThat(composed).as("%s", composed).isInstanceOf(CompositionResult.Composed.class);
        String supergraph = ((CompositionResult.Composed) composed).supergraphSdl();
        assertThat(supergraph).contains("@authenticated").contains("@requiresScopes(scopes: [[\"admin\"]])");
        RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), """
                authentication:
                  mode: optional
                  jwt:
                    issuers:
                      - issuer: https://issuer.test
                        secret: %s
                """.formatted(SECRET)));
        policy = config.edgePolicy();
        router = new Router(SupergraphLoader.load(supergraph), RouterSettings.DEFAULTS);
        server = RouterServer.start(router, RouterSettings.DEFAULTS, policy, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (router != null) router.close();
        if (policy != null) policy.close();
        if (subgraphs != null) subgraphs.close();
    }

    private static JsonNode query(String query, String scope) throws Exception {
        return queryAs(query, scope == null ? null : claims -> claims.claim("scope", scope));
    }

    /** As the caller whose token has these claims (besides iss, sub and exp); null: anonymous. */
    private static JsonNode queryAs(String query, java.util.function.UnaryOperator<JWTClaimsSet.Builder> claims) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/graphql"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(FederatedGraph.JSON.writeValueAsString(java.util.Map.of("query", query))));
        if (claims != null) {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.apply(new JWTClaimsSet.Builder().issuer("https://issuer.test")
                    .subject("u1").expirationTime(new Date(System.currentTimeMillis() + 60_000))).build());
            jwt.sign(new MACSigner(SECRET));
            request.header("authorization", "Bearer " + jwt.serialize());
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return FederatedGraph.JSON.readTree(response.body());
    }

    @Test
    void anAnonymousCallerGetsNullAndAnErrorForAnAuthenticatedField() throws Exception {
        subgraphs.get("accounts").requestLog().clear();
        JsonNode answer = query("{ me { username membership } }", null);
        assertThat(answer.at("/data/me/username").asText()).isNotBlank();
        assertThat(answer.at("/data/me/membership").isNull()).isTrue();
        assertThat(answer.at("/errors/0/extensions/code").asText()).isEqualTo("UNAUTHORIZED_FIELD_OR_TYPE");
        assertThat(answer.at("/errors/0/path").toString()).isEqualTo("[\"me\",\"membership\"]");
        assertThat(subgraphs.get("accounts").requestLog().entries()).allSatisfy(e -> assertThat(e.query()).doesNotContain("membership"));
    }

    @Test
    void anAuthenticatedCallerSeesItButNotAScopedFieldWithoutTheScope() throws Exception {
        JsonNode authenticated = query("{ me { username membership } }", "read");
        assertThat(authenticated.has("errors")).as(authenticated.toString()).isFalse();
        assertThat(authenticated.at("/data/me/username").asText()).isNotBlank();

        JsonNode withoutScope = query("{ me { username role } }", "read");
        assertThat(withoutScope.at("/data/me").isNull()).as("role is non-null: the null reaches me").isTrue();
        assertThat(withoutScope.at("/errors/0/path").toString()).isEqualTo("[\"me\",\"role\"]");

        JsonNode admin = query("{ me { username role } }", "read admin");
        assertThat(admin.has("errors")).as(admin.toString()).isFalse();
        assertThat(admin.at("/data/me/role").asText()).isNotBlank();
    }

    /**
     * Plans are cached per access level: the scope set {admin, read} and the one scope "admin, read" (an scp array
     * entry may hold commas and spaces) are different access levels, whatever order they come in.
     */
    @Test
    void aScopeWithACommaInsideIsNotTheSameAccessLevelAsTwoScopes() throws Exception {
        String query = "query CommaScopes { me { username role } }";
        JsonNode twoScopes = queryAs(query, claims -> claims.claim("scp", List.of("admin", "read")));
        assertThat(twoScopes.has("errors")).as(twoScopes.toString()).isFalse();
        assertThat(twoScopes.at("/data/me/role").asText()).isNotBlank();

        JsonNode oneScope = queryAs(query, claims -> claims.claim("scp", List.of("admin, read")));
        assertThat(oneScope.at("/data/me").isNull()).as("the one scope 'admin, read' is not admin: %s", oneScope).isTrue();
        assertThat(oneScope.at("/errors/0/extensions/code").asText()).isEqualTo("UNAUTHORIZED_FIELD_OR_TYPE");
        assertThat(oneScope.at("/errors/0/path").toString()).isEqualTo("[\"me\",\"role\"]");
    }
}
