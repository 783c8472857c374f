package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.config.ConfigException;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.router.supergraph.SupergraphException;
import dev.vestibule.router.supergraph.SupergraphLoader;
import dev.vestibule.samples.SampleSubgraphs;
import dev.vestibule.samples.server.FaultSettings;
import dev.vestibule.tests.testkit.GraphQLClient;
import dev.vestibule.tests.testkit.TestGraph;
import dev.vestibule.tests.testkit.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * @policy enforced over HTTP with the real sample subgraphs: accounts composed with User.membership
 * {@code @policy([["staff"]])}, Query.user {@code @policy([["owner"], ["auditor", "mfa"]])} (outer list OR, inner
 * AND) and Query.userByEmail {@code @policy([["undefined-policy"]])}; the policies are expressions over scopes and
 * claims in the router config. A field whose policy the caller does not satisfy, or that no config defines, is null
 * with UNAUTHORIZED_FIELD_OR_TYPE and never asked of a subgraph; a router without any policy configured denies every
 * @policy field (it used to serve them).
 */
class PolicyTest {
    private static final String SECRET = Tokens.SECRET;
    private static SampleSubgraphs.Running subgraphs;
    private static String supergraph;
    private static Path dir;
    private static final List<AutoCloseable> running = new ArrayList<>();
    private static RouterServer unconfigured;
    private static RouterServer configured;

    @BeforeAll
    static void start(@TempDir Path temp) throws Exception {
        dir = temp;
        subgraphs = SampleSubgraphs.startAll(0, FaultSettings.NONE);
        supergraph = TestGraph.composeSamples(subgraphs, Map.of("accounts", sdl -> sdl
                        .replace("import: [\"@key\"", "import: [\"@policy\", \"@key\"")
                        .replace("  membership: MembershipTier", "  membership: MembershipTier @policy(policies: [[\"staff\"]])")
                        .replace("  user(id: ID!): User", "  user(id: ID!): User @policy(policies: [[\"owner\"], [\"auditor\", \"mfa\"]])")
                        .replace("  userByEmail(email: String!): User", "  userByEmail(email: String!): User @policy(policies: [[\"undefined-policy\"]])")));
        assertThat(supergraph).contains("@policy(policies: [[\"staff\"]])").contains("[[\"owner\"], [\"auditor\", \"mfa\"]]");
        unconfigured = serve(config(""));
    }

    /** The router with the policies configured, started on first use (its config is what this change adds). */
    private static synchronized RouterServer configured() throws Exception {
        if (configured == null) configured = serve(config(POLICIES));
        return configured;
    }

    private static final String POLICIES = """
            authorization:
              policies:
                staff: "scope:staff || claim.groups contains 'staff'"
                owner: "claim['https://example.test/role'] == 'owner'"
                auditor: "authenticated && scope:audit"
                mfa: "claim.amr contains 'mfa'"
            """;

    private static RouterConfig config(String authorization) throws Exception {
        return RouterConfig.load(Files.writeString(Files.createTempFile(dir, "router", ".yaml"), """
                authentication:
                  mode: optional
                  jwt:
                    issuers:
                      - issuer: https://issuer.test
                        secret: %s
                """.formatted(SECRET) + authorization));
    }

    private static RouterServer serve(RouterConfig config) {
        EdgePolicy policy = config.edgePolicy();
        Router router = new Router(SupergraphLoader.load(supergraph), RouterSettings.DEFAULTS);
        RouterServer server = RouterServer.start(router, RouterSettings.DEFAULTS, policy, "127.0.0.1", 0);
        running.addAll(List.of(server, router, policy));
        return server;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : running) closeable.close();
        if (subgraphs != null) subgraphs.close();
    }

    private static JsonNode query(RouterServer server, String query, UnaryOperator<JWTClaimsSet.Builder> claims) throws Exception {
        GraphQLClient client = GraphQLClient.to(server.port());
        return claims == null ? client.query(query) : client.query(query, Map.of(), "authorization", Tokens.bearer(Tokens.hs256(claims)));
    }

    private static void assertDenied(JsonNode answer, String path, String why) {
        assertThat(answer.at("/errors/0/extensions/code").asText()).as("%s: %s", why, answer).isEqualTo("UNAUTHORIZED_FIELD_OR_TYPE");
        assertThat(answer.at("/errors/0/path").toString()).as(why).isEqualTo(path);
    }

    private static void assertAllowed(JsonNode answer, String pointer, String why) {
        assertThat(answer.has("errors")).as("%s: %s", why, answer).isFalse();
        assertThat(answer.at(pointer).isMissingNode() || answer.at(pointer).isNull()).as("%s: %s", why, answer).isFalse();
    }

    @Test
    void withNoPolicyConfiguredEveryPolicyFieldIsDeniedToEveryone() throws Exception {
        subgraphs.get("accounts").requestLog().clear();
        String query = "{ me { username membership } }";
        for (UnaryOperator<JWTClaimsSet.Builder> caller : List.<UnaryOperator<JWTClaimsSet.Builder>>of(
                c -> c.claim("scope", "staff admin"), c -> c.claim("groups", List.of("staff")))) {
            JsonNode answer = query(unconfigured, query, caller);
            assertThat(answer.at("/data/me/username").asText()).isNotBlank();
            assertThat(answer.at("/data/me/membership").isNull()).as(answer.toString()).isTrue();
            assertDenied(answer, "[\"me\",\"membership\"]", "a policy no config defines");
        }
        assertDenied(query(unconfigured, query, null), "[\"me\",\"membership\"]", "anonymous");
        assertThat(subgraphs.get("accounts").requestLog().entries()).allSatisfy(e -> assertThat(e.query()).doesNotContain("membership"));
    }

    @Test
    void aPolicyOfScopesOrClaimsDecidesAField() throws Exception {
        String query = "{ me { username membership } }";
        subgraphs.get("accounts").requestLog().clear();
        assertDenied(query(configured(), query, null), "[\"me\",\"membership\"]", "anonymous");
        assertDenied(query(configured(), query, c -> c.claim("scope", "read")), "[\"me\",\"membership\"]", "no staff scope or group");
        assertDenied(query(configured(), query, c -> c.claim("groups", List.of("staffing", "Staff"))), "[\"me\",\"membership\"]",
                "groups that only look like staff");
        assertThat(subgraphs.get("accounts").requestLog().entries()).allSatisfy(e -> assertThat(e.query()).doesNotContain("membership"));

        assertAllowed(query(configured(), query, c -> c.claim("scope", "read staff")), "/data/me/username", "the staff scope");
        assertAllowed(query(configured(), query, c -> c.claim("groups", List.of("dev", "staff"))), "/data/me/username", "the staff group");
        assertAllowed(query(configured(), query, c -> c.claim("groups", "dev staff")), "/data/me/username", "staff in a text claim");
        assertThat(subgraphs.get("accounts").requestLog().entries()).anySatisfy(e -> assertThat(e.query()).contains("membership"));
    }

    @Test
    void policyListsAreAnOrOfAnds() throws Exception {
        String query = "{ user(id: \"u1\") { username } }";
        String path = "[\"user\"]";
        assertDenied(query(configured(), query, null), path, "anonymous");
        assertAllowed(query(configured(), query, c -> c.claim("https://example.test/role", "owner")), "/data/user/username", "owner");
        assertDenied(query(configured(), query, c -> c.claim("https://example.test/role", "owner-not")), path, "another role");
        assertDenied(query(configured(), query, c -> c.claim("scope", "audit")), path, "auditor without mfa");
        assertDenied(query(configured(), query, c -> c.claim("amr", List.of("mfa"))), path, "mfa without auditor");
        assertAllowed(query(configured(), query, c -> c.claim("scope", "audit").claim("amr", List.of("pwd", "mfa"))),
                "/data/user/username", "auditor and mfa");
    }

    @Test
    void aPolicyTheConfigDoesNotDefineDeniesEvenTheMostPrivilegedCaller() throws Exception {
        JsonNode answer = query(configured(), "{ userByEmail(email: \"ada@example.com\") { username } }", c -> c
                .claim("scope", "staff audit admin").claim("amr", List.of("mfa")).claim("groups", List.of("staff"))
                .claim("https://example.test/role", "owner").claim("undefined-policy", true));
        assertDenied(answer, "[\"userByEmail\"]", "undefined-policy");
    }

    @Test
    void plansCachedForOneCallersPoliciesAreNotServedToAnother() throws Exception {
        String query = "query SameText { me { membership } }";
        assertAllowed(query(configured(), query, c -> c.claim("scope", "staff")), "/data/me", "staff first");
        assertDenied(query(configured(), query, c -> c.claim("scope", "read")), "[\"me\",\"membership\"]", "then a non-staff caller");
        assertDenied(query(configured(), query, null), "[\"me\",\"membership\"]", "then anonymous");
        assertAllowed(query(configured(), query, c -> c.claim("groups", List.of("staff"))), "/data/me", "then staff by group");
    }

    @Test
    void unknownPoliciesAreNamedAndCanRefuseTheSupergraph() throws Exception {
        var loaded = SupergraphLoader.load(supergraph);
        assertThat(config(POLICIES).authorization().unknownIn(loaded)).containsExactly("undefined-policy");
        config(POLICIES).authorization().check(loaded); // deny (the default): logged, served
        RouterConfig refusing = config(POLICIES.replace("authorization:\n", "authorization:\n  unknown_policies: refuse\n"));
        assertThatThrownBy(() -> refusing.authorization().check(loaded)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("undefined-policy").hasMessageContaining("authorization.policies");
        RouterConfig complete = config(POLICIES.replace("authorization:\n", "authorization:\n  unknown_policies: refuse\n")
                + "    undefined-policy: \"claim.undefined-policy\"\n");
        complete.authorization().check(loaded);
    }

    @Test
    void aBadPolicyIsAConfigErrorNamingItAndWhere() {
        assertThatThrownBy(() -> config("authorization:\n  policies:\n    broken: \"scope:admin ||\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("authorization.policies.broken")
                .hasMessageContaining("column 15");
        assertThatThrownBy(() -> config("authorization:\n  policies:\n    quote: \"claim.role == 'owner\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("authorization.policies.quote").hasMessageContaining("not closed");
        assertThatThrownBy(() -> config("authorization:\n  unknown_policies: ignore\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("authorization.unknown_policies").hasMessageContaining("deny or refuse");
    }

    @Test
    void anEmptyPolicyListIsRefusedRatherThanGuessed() {
        assertThatThrownBy(() -> SupergraphLoader.load(supergraph.replace("@policy(policies: [[\"staff\"]])", "@policy(policies: [])")))
                .isInstanceOf(SupergraphException.class).hasMessageContaining("User.membership").hasMessageContaining("empty list of policies");
    }
}
