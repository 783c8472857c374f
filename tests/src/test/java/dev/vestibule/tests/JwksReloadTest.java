package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.tests.testkit.Tokens;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A key removed from an issuer's key set (revoked) stops working within the refresh interval, over real sockets:
 * with {@code jwks_file} (the file is watched) and with {@code jwks_url} (the periodic refresh), including for a
 * token the router verified moments before and keeps in its cache of verified tokens. A broken file keeps the last
 * good keys in service and is logged as an error.
 */
class JwksReloadTest {
    private static final String ISSUER = Tokens.ISSUER;
    private static final String QUERY = "{\"query\":\"{ me { username } }\"}";
    /** Generous for a busy machine: the interval is 200 ms. */
    private static final long WITHIN_MILLIS = 20_000;

    private static String token(ECKey key) {
        return Tokens.es256(Tokens.claims("u1", Duration.ofMinutes(10)).build(), key);
    }

    private static int status(FederatedGraph graph, String token) throws Exception {
        HttpResponse<String> response = graph.postRaw(QUERY, "application/json", "authorization", "Bearer " + token);
        return response.statusCode();
    }

    /** Sends the token until it is refused; the milliseconds that took, or -1 if it never was within the bound. */
    private static long millisUntilRefused(FederatedGraph graph, String token) throws Exception {
        long start = System.nanoTime();
        while ((System.nanoTime() - start) / 1_000_000 < WITHIN_MILLIS) {
            if (status(graph, token) == 401) return (System.nanoTime() - start) / 1_000_000;
            Thread.sleep(50);
        }
        return -1;
    }

    private static void write(Path file, String content) throws Exception {
        // as an operator's tooling would: a new file moved into place
        Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aKeyRemovedFromTheJwksFileIsRefusedWithinTheIntervalAndABrokenFileKeepsTheLastGoodKeys(@TempDir Path dir) throws Exception {
        ECKey revoked = new ECKeyGenerator(Curve.P_256).keyID("revoked").generate();
        ECKey kept = new ECKeyGenerator(Curve.P_256).keyID("kept").generate();
        Path jwks = dir.resolve("jwks.json");
        write(jwks, new JWKSet(List.of(revoked.toPublicJWK(), kept.toPublicJWK())).toString());
        RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), """
                authentication:
                  mode: required
                  jwt:
                    issuers:
                      - issuer: %s
                        jwks_file: jwks.json
                        jwks_refresh: 200ms
                """.formatted(ISSUER)));
        Logger log = (Logger) LoggerFactory.getLogger("dev.vestibule.router.middleware");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try (EdgePolicy policy = config.edgePolicy(); FederatedGraph graph = new FederatedGraph(RouterSettings.DEFAULTS, policy)) {
            String revokedToken = token(revoked);
            String keptToken = token(kept);
            assertThat(status(graph, revokedToken)).isEqualTo(200); // verified, and now in the cache of verified tokens
            assertThat(status(graph, keptToken)).isEqualTo(200);

            write(jwks, new JWKSet(List.of(kept.toPublicJWK())).toString());
            long refusedAfter = millisUntilRefused(graph, revokedToken);
            System.out.println("jwks_file: a removed key was refused " + refusedAfter + " ms after the file changed (interval 200 ms)");
            assertThat(refusedAfter).as("the revoked key is refused within %d ms", WITHIN_MILLIS).isNotNegative();
            assertThat(status(graph, keptToken)).isEqualTo(200);

            write(jwks, "{ \"keys\": [ not json");
            Thread.sleep(1_000); // several intervals
            assertThat(status(graph, keptToken)).as("the last good key set stays in service").isEqualTo(200);
            assertThat(status(graph, revokedToken)).isEqualTo(401);
            assertThat(logged.list).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getFormattedMessage()).contains("jwks.json").contains("not a valid key set").contains("keeping the 1 key(s)");
            });

            write(jwks, new JWKSet(List.of(revoked.toPublicJWK(), kept.toPublicJWK())).toString());
            long start = System.nanoTime();
            while (status(graph, revokedToken) != 200 && (System.nanoTime() - start) / 1_000_000 < WITHIN_MILLIS) Thread.sleep(50);
            assertThat(status(graph, revokedToken)).as("a key put back is trusted again").isEqualTo(200);
        } finally {
            log.detachAppender(logged);
        }
    }

    @Test
    void aKeyRemovedAtTheJwksUrlIsRefusedAfterTheNextRefreshEvenForACachedToken(@TempDir Path dir) throws Exception {
        ECKey revoked = new ECKeyGenerator(Curve.P_256).keyID("revoked").generate();
        ECKey kept = new ECKeyGenerator(Curve.P_256).keyID("kept").generate();
        AtomicReference<String> published = new AtomicReference<>(new JWKSet(List.of(revoked.toPublicJWK(), kept.toPublicJWK())).toString());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks.json", exchange -> {
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        RouterConfig config = RouterConfig.load(Files.writeString(dir.resolve("router.yaml"), """
                authentication:
                  jwt:
                    issuers:
                      - issuer: %s
                        jwks_url: http://127.0.0.1:%d/jwks.json
                        jwks_refresh: 200ms
                """.formatted(ISSUER, server.getAddress().getPort())));
        try (EdgePolicy policy = config.edgePolicy(); FederatedGraph graph = new FederatedGraph(RouterSettings.DEFAULTS, policy)) {
            String revokedToken = token(revoked);
            assertThat(status(graph, revokedToken)).isEqualTo(200);
            published.set(new JWKSet(List.of(kept.toPublicJWK())).toString());
            long refusedAfter = millisUntilRefused(graph, revokedToken);
            System.out.println("jwks_url: a removed key was refused " + refusedAfter + " ms after the issuer dropped it (refresh 200 ms)");
            assertThat(refusedAfter).as("the revoked key is refused within %d ms (the token cache keeps it 60 s)", WITHIN_MILLIS).isNotNegative();
            assertThat(status(graph, token(kept))).isEqualTo(200);
        } finally {
            server.stop(0);
        }
    }
}
