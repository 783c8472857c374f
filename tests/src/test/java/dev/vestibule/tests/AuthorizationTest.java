package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.tests.testkit.GraphQLClient;
import dev.vestibule.tests.testkit.TestGraph;
import dev.vestibule.tests.testkit.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
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
    private static final String SECRET = Tokens.SECRET;
    private static SampleSubgraphs.Running subgraphs;
    private static Router router;
    private static RouterServer server;
    private static EdgePolicy policy;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        subgraphs = SampleSubgraphs.startAll(0, FaultSettings.NONE);
        String supergraph = TestGraph.composeSamples(subgraphs, Map.of("accounts", sdl -> sdl
                        .replace("import: [\"@key\"", "import: [\"@authenticated\", \"@requiresScopes\", \"@key\"")
                        .replace("  membership: MembershipTier", "  membership: MembershipTier @authenticated")
                        .replace("  role: Role!", "  role: Role! @requiresScopes(scopes: [[\"admin\"]])")));
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
    private static JsonNode queryAs(String query, UnaryOperator<JWTClaimsSet.Builder> claims) throws Exception {
        GraphQLClient client = GraphQLClient.to(server.port());
        return claims == null ? client.query(query) : client.query(query, Map.of(), "authorization", Tokens.bearer(Tokens.hs256(claims)));
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
