package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.vestibule.router.config.ConfigException;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.server.VestibuleServer;
import dev.vestibule.router.supergraph.Supergraph;
import dev.vestibule.router.supergraph.SupergraphLoader;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway owns what it starts: closing it, or a graceful shutdown, closes the edge policy too. Observed over real
 * sockets through an identity provider's JWKS endpoint, which the edge refreshes every 100 ms while it is open: after
 * the gateway closes, the fetches stop. (Before VestibuleServer, an embedder's router, FederatedGraph among them,
 * never closed the edge policy: the refreshes, and the Redis clients of rate limits and persisted queries, lived on.)
 */
class VestibuleServerTest {
    private HttpServer identityProvider;
    private final AtomicInteger fetches = new AtomicInteger();
    private Supergraph supergraph;

    @BeforeEach
    void start() throws Exception {
        String jwks = new JWKSet(new ECKeyGenerator(Curve.P_256).keyID("k1").generate().toPublicJWK()).toString();
        identityProvider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        identityProvider.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        identityProvider.start();
        supergraph = SupergraphLoader.load(Files.readString(Path.of("..", "schemas", "supergraph.graphql")));
    }

    @AfterEach
    void stop() {
        identityProvider.stop(0);
    }

    private RouterConfig config(Path dir, String extra) throws IOException {
        return RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), """
                authentication:
                  mode: optional
                  jwt:
                    issuers:
                      - issuer: https://issuer.test
                        jwks_url: http://127.0.0.1:%d/jwks.json
                        jwks_refresh: 100ms
                """.formatted(identityProvider.getAddress().getPort()) + extra));
    }

    @Test
    void closingTheGatewayClosesItsEdgeAndItsPort(@TempDir Path dir) throws Exception {
        VestibuleServer server = VestibuleServer.start(supergraph, config(dir, ""), "127.0.0.1", 0);
        int port = server.port();
        awaitFetches(3);
        server.close();
        assertRefreshesStopped();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        server.close(); // a second close is harmless
    }

    @Test
    void aGracefulShutdownClosesThemToo(@TempDir Path dir) throws Exception {
        VestibuleServer server = VestibuleServer.start(supergraph, config(dir, ""), "127.0.0.1", 0);
        awaitFetches(3);
        assertThat(server.shutDownGracefully(Duration.ZERO, Duration.ofSeconds(10))).isZero();
        assertRefreshesStopped();
    }

    @Test
    void aStartThatFailsClosesWhatItMadeAndSaysWhy(@TempDir Path dir) throws Exception {
        RouterConfig typo = config(dir, """
                server:
                  readiness:
                    required_subgraphs: [acounts]
                """);
        assertThatThrownBy(() -> VestibuleServer.start(supergraph, typo, "127.0.0.1", 0)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.readiness.required_subgraphs: the supergraph has no subgraph 'acounts'");
        int before = fetches.get();
        Thread.sleep(500);
        assertThat(fetches.get()).as("no edge was left running").isEqualTo(before);
    }

    private void awaitFetches(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (fetches.get() < count && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(fetches.get()).as("JWKS fetches while the gateway runs").isGreaterThanOrEqualTo(count);
    }

    /** Ten refresh intervals and more without a fetch, but for one that had already started at close. */
    private void assertRefreshesStopped() throws InterruptedException {
        int atClose = fetches.get();
        Thread.sleep(1_500);
        assertThat(fetches.get()).as("JWKS fetches after the gateway closed").isLessThanOrEqualTo(atClose + 1);
    }

}
