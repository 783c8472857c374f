package dev.vestibule.router.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vestibule.router.middleware.Admission;
import dev.vestibule.router.middleware.AuthenticationSettings;
import dev.vestibule.router.middleware.Authenticator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router's command line: plans as text and JSON, and one clear line for every mistake. */
class RouterCliTest {
    private static final String SUPERGRAPH = Path.of("..", "schemas", "supergraph.graphql").toString();

    record Outcome(int exit, String out, String err) {}

    private static Outcome run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = RouterCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theProcessAgeIsTheJvmsUptimePlusItsOwnStartToTensOfMilliseconds() {
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        long age = RouterCli.processAgeMillis();
        long uptimeAfter = ManagementFactory.getRuntimeMXBean().getUptime();
        // the process exists a little before the JVM counts its uptime (the launcher loads the JVM first); a figure
        // taken from the boot time in whole seconds, as before, could be a second off either way
        assertThat(age).isBetween(uptime - 20, uptimeAfter + 400);
    }

    @Test
    void plansAsTextAndJson(@TempDir Path dir) throws Exception {
        Path query = Files.writeString(dir.resolve("q.graphql"), "{ me { username reviews(first: 1) { rating } } }");
        Outcome text = run("plan", "--supergraph", SUPERGRAPH, "--query", query.toString());
        assertThat(text.exit()).isZero();
        assertThat(text.out()).startsWith("QueryPlan {").contains("Flatten(path: \"me\")");
        Outcome json = run("plan", "--supergraph", SUPERGRAPH, "--query", query.toString(), "--json");
        JsonNode plan = new ObjectMapper().readTree(json.out());
        assertThat(plan.at("/node/kind").asText()).isEqualTo("Sequence");
        assertThat(plan.at("/node/nodes/1/node/serviceName").asText()).isEqualTo("reviews");
        assertThat(plan.get("fetches").asInt()).isEqualTo(2);
    }

    @Test
    void aBrokenSupergraphFailsWithTheReasonAndTheLine(@TempDir Path dir) throws Exception {
        String broken = Files.readString(Path.of(SUPERGRAPH)).replace("@join__type(graph: ACCOUNTS, key: \"id\")",
                "@join__type(graph: NOWHERE, key: \"id\")");
        Path file = Files.writeString(dir.resolve("broken.graphql"), broken);
        Outcome outcome = run("serve", "--supergraph", file.toString(), "--port", "0");
        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.err()).matches("error: line \\d+: .*NOWHERE.*\\n");
    }

    @Test
    void aPortInUseGetsOneLineWithTheFix() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Outcome outcome = run("serve", "--supergraph", SUPERGRAPH, "--port", String.valueOf(taken.getLocalPort()));
            assertThat(outcome.exit()).isNotZero();
            assertThat(outcome.err()).isEqualTo("error: port " + taken.getLocalPort() + " is already in use; choose another with --port N\n");
        }
    }

    @Test
    void mistakesGetOneLine() {
        assertThat(run("serve", "--supergraph", "/no/such/file.graphql").err())
                .isEqualTo("error: --supergraph /no/such/file.graphql: no such file\n");
        assertThat(run("serve").err()).isEqualTo("error: --supergraph is required\n");
        assertThat(run("serve", "--supergraph", SUPERGRAPH, "--port", "http").err())
                .isEqualTo("error: --port needs a port number (0-65535), got 'http'\n");
        assertThat(run("fly").err()).startsWith("error: unknown command 'fly'");
        assertThat(run("plan", "--bogus", "x").exit()).isEqualTo(2);
    }

    @Test
    void composesFromAConfigFileAndWritesTheSupergraph(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("supergraph.graphql");
        Outcome outcome = run("compose", "--config", "../schemas/subgraphs.yaml", "--out", out.toString());
        assertThat(outcome.exit()).as(outcome.err()).isZero();
        assertThat(Files.readString(out)).isEqualTo(Files.readString(Path.of(SUPERGRAPH)));
        Outcome compared = run("compose", "--config", "../schemas/subgraphs.yaml", "--compare", SUPERGRAPH);
        assertThat(compared.exit()).isZero();
        assertThat(compared.out()).startsWith("equivalent to");
    }

    @Test
    void composesFromSubgraphOptions(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.graphql"), """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
                type Query { user: User }
                type User @key(fields: "id") { id: ID! }
                """);
        Outcome outcome = run("compose", "--subgraph", "users=http://127.0.0.1:5001/graphql@" + a);
        assertThat(outcome.exit()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("USERS @join__graph(name: \"users\", url: \"http://127.0.0.1:5001/graphql\")");
    }

    @Test
    void aFailedCompositionPrintsEachErrorWithItsHintAndExitsOne(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.graphql"), """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
                type Query { user: User }
                type User @key(fields: "idd") { id: ID! }
                """);
        Path out = dir.resolve("never.graphql");
        Outcome outcome = run("compose", "--subgraph", "users=http://x/graphql@" + a, "--out", out.toString());
        assertThat(outcome.exit()).isEqualTo(1);
        assertThat(outcome.err()).contains("error[KEY_INVALID_FIELDS] users User (line 3): [users] On User, for @key(fields: \"idd\"): Cannot query field \"idd\" on type \"User\"")
                .contains("  hint: add the field to User").contains("composition failed: 1 error(s)");
        assertThat(out).doesNotExist();
    }

    @Test
    void aConfigMistakeNamesTheKey(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("subgraphs.yaml"), """
                subgraphs:
                  users:
                    routing_url: http://127.0.0.1:5001/graphql
                    schema:
                      fil: users.graphql
                """);
        Outcome outcome = run("compose", "--config", config.toString());
        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.err()).contains("subgraphs.users.schema: unknown key 'fil'");
        assertThat(run("compose").err()).isEqualTo("error: give --config FILE or --subgraph NAME=URL[@FILE]\n");
    }

    @Test
    void servesWhatItComposesAtStart(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("subgraphs.yaml"), """
                subgraphs:
                  users:
                    routing_url: http://127.0.0.1:5001/graphql
                    schema:
                      sdl: "type Query { broken: Missing }"
                """);
        Outcome outcome = run("serve", "--subgraphs", config.toString(), "--port", "0");
        assertThat(outcome.exit()).isEqualTo(1);
        assertThat(outcome.err()).contains("Unknown type \"Missing\"").contains("composition failed with 1 error(s)");
    }

    @Test
    void aSupergraphUsingAnUndefinedPolicyIsNotServedWithUnknownPoliciesRefuse(@TempDir Path dir) throws Exception {
        Path subgraphs = Files.writeString(dir.resolve("subgraphs.yaml"), """
                subgraphs:
                  users:
                    routing_url: http://127.0.0.1:5001/graphql
                    schema:
                      sdl: |
                        extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@policy"])
                        type Query { user: User @policy(policies: [["staff"], ["owner"]]) }
                        type User @key(fields: "id") { id: ID! }
                """);
        Path config = Files.writeString(dir.resolve("router.yaml"), """
                authorization:
                  unknown_policies: refuse
                  policies:
                    staff: "scope:staff"
                """);
        Outcome outcome = run("serve", "--subgraphs", subgraphs.toString(), "--config", config.toString(), "--port", "0");
        assertThat(outcome.exit()).as(outcome.err()).isEqualTo(1);
        assertThat(outcome.err()).isEqualTo("error: the supergraph uses @policy names that authorization.policies does not define: owner"
                + " (define them, or set authorization.unknown_policies: deny)\n");
    }

    @Test
    void mintsADemoTokenThatTheRouterAccepts(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.json");
        Path jwks = dir.resolve("jwks.json");
        Outcome minted = run("token", "--sub", "u7", "--key", key.toString(), "--jwks-out", jwks.toString());
        assertThat(minted.exit()).as(minted.err()).isZero();
        String token = minted.out().trim();
        var settings = new AuthenticationSettings(
                AuthenticationSettings.Mode.REQUIRED, "authorization", Duration.ofSeconds(5), 8192,
                List.of(new AuthenticationSettings.Issuer("https://demo.vestibule.dev", null,
                        jwks.toString(), null, List.of("vestibule"), List.of(), List.of(),
                        Duration.ofMinutes(5), Duration.ofSeconds(30))),
                "x-api-key", List.of(), Map.of("sub", "x-user-id"));
        try (var authenticator = new Authenticator(settings)) {
            var admission = authenticator.admit(h -> h.equals("authorization") ? "Bearer " + token : null);
            assertThat(admission).isInstanceOfSatisfying(Admission.Admitted.class,
                    a -> assertThat(a.subgraphHeaders()).containsEntry("x-user-id", "u7"));
        }
        // the key is kept: a second token verifies against the same JWKS
        String second = run("token", "--key", key.toString(), "--jwks-out", jwks.toString()).out().trim();
        assertThat(second).isNotEqualTo(token);
        assertThat(Files.readString(key)).contains("\"d\"");
        assertThat(Files.readString(jwks)).doesNotContain("\"d\"");
    }
}
