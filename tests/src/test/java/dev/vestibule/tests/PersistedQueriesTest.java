package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.router.Router;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.http.RouterServer;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.tests.testkit.GraphQLClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Automatic persisted queries (memory and Redis-shared) and safelist mode, over HTTP. */
class PersistedQueriesTest {
    private static final String QUERY = "{ me { username } }";

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> post(int port, String body) throws Exception {
        return GraphQLClient.to(port).postRaw(body, null);
    }

    private static String apq(String hash, String query) {
        String extension = "\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + hash + "\"}}";
        return query == null ? "{" + extension + "}" : "{\"query\":\"" + query + "\"," + extension + "}";
    }

    @Test
    void aHashAloneRunsOnceTheTextIsRegistered() throws Exception {
        try (FederatedGraph graph = new FederatedGraph(RouterSettings.DEFAULTS)) {
            int port = graph.server.port();
            String hash = sha256(QUERY);
            HttpResponse<String> unknown = post(port, apq(hash, null));
            assertThat(unknown.statusCode()).isEqualTo(200);
            assertThat(unknown.body()).contains("PersistedQueryNotFound").contains("PERSISTED_QUERY_NOT_FOUND");
            assertThat(graph.totalSubgraphRequests()).isZero();

            assertThat(post(port, apq(hash, QUERY)).body()).contains("\"username\"");
            HttpResponse<String> byHash = post(port, apq(hash, null));
            assertThat(byHash.statusCode()).isEqualTo(200);
            assertThat(byHash.body()).contains("\"username\"");

            HttpResponse<String> mismatch = post(port, apq(sha256("{ __typename }"), QUERY));
            assertThat(mismatch.statusCode()).isEqualTo(400);
            assertThat(mismatch.body()).contains("PERSISTED_QUERY_HASH_MISMATCH");
        }
    }

    @Test
    void instancesShareRegisteredQueriesThroughRedis(@TempDir Path dir) throws Exception {
        RedisProcess.requireInstalled();
        try (RedisProcess redis = new RedisProcess(); FederatedGraph graph = new FederatedGraph(RouterSettings.DEFAULTS)) {
            RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("router.yaml"),
                    "persisted_queries:\n  redis:\n    url: " + redis.url() + "\n"));
            try (Router routerA = new Router(graph.router.supergraph(), RouterSettings.DEFAULTS);
                 Router routerB = new Router(graph.router.supergraph(), RouterSettings.DEFAULTS);
                 EdgePolicy policyA = config.edgePolicy(); EdgePolicy policyB = config.edgePolicy()) {
                RouterServer a = RouterServer.start(routerA, RouterSettings.DEFAULTS, policyA, "127.0.0.1", 0);
                RouterServer b = RouterServer.start(routerB, RouterSettings.DEFAULTS, policyB, "127.0.0.1", 0);
                try {
                    String hash = sha256(QUERY);
                    assertThat(post(a.port(), apq(hash, QUERY)).statusCode()).isEqualTo(200);
                    assertThat(post(b.port(), apq(hash, null)).body()).contains("\"username\"");
                } finally {
                    a.close();
                    b.close();
                }
            }
        }
    }

    @Test
    void safelistModeRunsOnlyTheManifest(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("manifest.json"), """
                {"format": "apollo-persisted-query-manifest", "version": 1, "operations": [
                  {"id": "me-v1", "name": "Me", "type": "query", "body": "query Me { me { username } }"}
                ]}
                """);
        RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("router.yaml"),
                "persisted_queries:\n  safelist:\n    manifest: manifest.json\n"));
        try (FederatedGraph graph = new FederatedGraph(config)) {
            int port = graph.server.port();
            assertThat(post(port, "{\"query\":\"query Me { me { username } }\"}").body()).contains("\"username\"");
            assertThat(post(port, apq("me-v1", null)).body()).contains("\"username\"");
            graph.resetLogsAndFaults();
            HttpResponse<String> other = post(port, "{\"query\":\"{ me { email } }\"}");
            assertThat(other.statusCode()).isEqualTo(400);
            assertThat(other.body()).contains("PERSISTED_QUERY_NOT_IN_LIST");
            assertThat(graph.totalSubgraphRequests()).isZero();
        }
    }
}
