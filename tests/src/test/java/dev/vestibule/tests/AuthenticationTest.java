package dev.vestibule.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.vestibule.router.RouterSettings;
import dev.vestibule.router.config.RouterConfig;
import dev.vestibule.router.middleware.Authenticator;
import dev.vestibule.router.middleware.EdgePolicy;
import dev.vestibule.samples.server.RequestLog;
import dev.vestibule.tests.testkit.Tokens;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication at the edge, over real sockets: a JWKS server inside the test (its keys rotated mid-test), the
 * router configured from YAML, the sample subgraphs behind it. Every bad token gets 401 with a WWW-Authenticate header
 * and never reaches a subgraph (asserted on the subgraphs' request logs); a good one does, with the identity as
 * headers that no client can spoof.
 */
class AuthenticationTest {
    private static final String ISSUER = "https://issuer.test";
    private static final String QUERY = "{ me { username } }";
    private static final String API_KEY = "mobile-key-0123456789";

    private static HttpServer jwks;
    private static final AtomicReference<String> published = new AtomicReference<>();
    private static final AtomicInteger jwksFetches = new AtomicInteger();
    private static RSAKey rsa;
    private static ECKey ec;
    private static KeyPair ed;
    private static OctetKeyPair edPublic;
    private static FederatedGraph graph;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] encoded = ed.getPublic().getEncoded();
        edPublic = new OctetKeyPair.Builder(Curve.Ed25519,
                Base64URL.encode(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length))).keyID("ed-1").build();
        published.set(new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK(), edPublic)).toString());
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks.json", exchange -> {
            jwksFetches.incrementAndGet();
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        String keyHash = HexFormat.of().formatHex(Authenticator.sha256(API_KEY));
        Path config = Files.writeString(dir.resolve("router.yaml"), """
                authentication:
                  mode: required
                  jwt:
                    clock_skew: 5s
                    max_token_bytes: 4096
                    issuers:
                      - issuer: %s
                        jwks_url: http://127.0.0.1:%d/jwks.json
                        audiences: [vestibule]
                        unknown_kid_refetch: 200ms
                  api_keys:
                    keys:
                      - sha256: ${MOBILE_KEY_HASH}
                        consumer: mobile-app
                        plan: free
                  forward_claims:
                    sub: x-user-id
                    scope: x-user-scopes
                """.formatted(ISSUER, jwks.getAddress().getPort()));
        RouterConfig routerConfig = RouterConfig.load(config, name -> name.equals("MOBILE_KEY_HASH") ? keyHash : null);
        graph = new FederatedGraph(RouterSettings.DEFAULTS, EdgePolicy.of(
                routerConfig.authentication(), routerConfig.rateLimits()));
    }

    @AfterAll
    static void stop() {
        if (graph != null) graph.close();
        if (jwks != null) jwks.stop(0);
    }

    @BeforeEach
    void reset() {
        graph.resetLogsAndFaults();
    }

    private static JWTClaimsSet.Builder claims() {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("u1").audience("vestibule").claim("scope", "read:me write:reviews")
                .issueTime(new Date(now - 1000)).expirationTime(new Date(now + 600_000));
    }

    private static String rs256(JWTClaimsSet claims, RSAKey key) {
        return Tokens.rs256(claims, key);
    }

    private static HttpResponse<String> send(String... headers) throws Exception {
        return graph.postRaw("{\"query\":\"" + QUERY + "\"}", "application/json", headers);
    }

    private static void assertRefused(String why, String token, String expectedDescription) throws Exception {
        HttpResponse<String> response = send("authorization", "Bearer " + token);
        assertThat(response.statusCode()).as(why).isEqualTo(401);
        assertThat(response.headers().firstValue("www-authenticate")).as(why).hasValueSatisfying(v ->
                assertThat(v).startsWith("Bearer realm=\"vestibule\", error=\"invalid_token\"").contains(expectedDescription));
        assertThat(response.body()).as(why).contains("UNAUTHENTICATED");
        assertThat(graph.totalSubgraphRequests()).as("%s: no subgraph saw the request", why).isZero();
    }

    @Test
    void aValidTokenReachesTheSubgraphsWithTheIdentityAsHeaders() throws Exception {
        HttpResponse<String> response = send("authorization", "Bearer " + rs256(claims().build(), rsa), "x-user-id", "admin");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"username\"");
        RequestLog.Entry call = graph.subgraph("accounts").requestLog().entries().get(0);
        assertThat(header(call, "x-user-id")).as("the token's subject, not the client's x-user-id").isEqualTo("u1");
        assertThat(header(call, "x-user-scopes")).isEqualTo("read:me write:reviews");
    }

    @Test
    void anEcSignedTokenIsAcceptedToo() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims().build());
        jwt.sign(new ECDSASigner(ec));
        assertThat(send("authorization", "Bearer " + jwt.serialize()).statusCode()).isEqualTo(200);
    }

    @Test
    void anEdDsaTokenIsVerifiedWithTheJdksEd25519() throws Exception {
        String header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("ed-1").build().toBase64URL().toString();
        String payload = Base64URL.encode(claims().build().toString()).toString();
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(ed.getPrivate());
        signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        String token = header + "." + payload + "." + Base64URL.encode(signer.sign());
        assertThat(send("authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        graph.resetLogsAndFaults();
        String forged = header + "." + Base64URL.encode(claims().subject("admin").build().toString()) + "." + token.split("\\.")[2];
        assertRefused("EdDSA with a tampered payload", forged, "signature is not valid");
    }

    @Test
    void everyBadTokenIsRefusedBeforeAnySubgraph() throws Exception {
        long now = System.currentTimeMillis();
        assertRefused("expired", rs256(claims().expirationTime(new Date(now - 600_000)).build(), rsa), "expired");
        assertRefused("not yet valid", rs256(claims().notBeforeTime(new Date(now + 600_000)).build(), rsa), "not valid yet");
        assertRefused("issued in the future", rs256(claims().issueTime(new Date(now + 600_000)).build(), rsa), "issued in the future");
        assertRefused("wrong audience", rs256(claims().audience("someone-else").build(), rsa), "audience");
        assertRefused("wrong issuer", rs256(claims().issuer("https://evil.test").build(), rsa), "issuer is not trusted");
        assertRefused("alg none", new PlainJWT(claims().build()).serialize(), "alg: none");

        SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build());
        confused.sign(new MACSigner(rsa.toPublicJWK().toRSAPublicKey().getEncoded()));
        assertRefused("HS256 signed with the RSA public key", confused.serialize(), "no trusted key");

        RSAKey stranger = new RSAKeyGenerator(2048).keyID("unknown-kid").generate();
        assertRefused("unknown kid", rs256(claims().build(), stranger), "no trusted key");

        String[] parts = rs256(claims().build(), rsa).split("\\.");
        String forged = Base64URL.encode(claims().subject("admin").build().toString()).toString();
        assertRefused("tampered payload", parts[0] + "." + forged + "." + parts[2], "signature is not valid");

        assertRefused("oversize token", rs256(claims().claim("padding", "x".repeat(5000)).build(), rsa), "larger than 4096 bytes");
        assertRefused("garbage", "not-a-jwt", "not a well-formed JWT");

        HttpResponse<String> anonymous = send();
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"vestibule\"");
        assertThat(graph.totalSubgraphRequests()).isZero();
    }

    @Test
    void aKeyRotatedInAtTheIssuerIsPickedUpOnItsFirstToken() throws Exception {
        RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        published.set(new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK(), edPublic, next.toPublicJWK())).toString());
        Thread.sleep(300); // past unknown_kid_refetch, so the unknown kid may trigger one refetch
        int before = jwksFetches.get();
        assertThat(send("authorization", "Bearer " + rs256(claims().build(), next)).statusCode()).isEqualTo(200);
        assertThat(jwksFetches.get()).isEqualTo(before + 1);
        // many tokens with an unknown kid cause at most one refetch per interval
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("never-published").generate();
        String unknown = rs256(claims().build(), stranger);
        int beforeFlood = jwksFetches.get();
        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) assertThat(send("authorization", "Bearer " + unknown).statusCode()).isEqualTo(401);
        long intervals = (System.nanoTime() - start) / 200_000_000L + 1; // unknown_kid_refetch: 200ms
        assertThat(jwksFetches.get() - beforeFlood).as("refetches for 50 unknown-kid tokens in %d intervals", intervals)
                .isLessThanOrEqualTo((int) intervals);
    }

    @Test
    void apiKeysIdentifyTheirConsumer() throws Exception {
        HttpResponse<String> ok = send("x-api-key", API_KEY, "x-user-id", "spoofed");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(header(graph.subgraph("accounts").requestLog().entries().get(0), "x-user-id")).isEqualTo("mobile-app");
        graph.resetLogsAndFaults();
        HttpResponse<String> bad = send("x-api-key", "guessed-key");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("ApiKey"));
        assertThat(graph.totalSubgraphRequests()).isZero();
    }

    private static String header(RequestLog.Entry entry, String name) {
        return entry.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
