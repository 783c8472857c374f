package dev.vestibule.tests.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.vestibule.router.middleware.Authenticator;
import dev.vestibule.router.middleware.AuthenticationSettings;
import dev.vestibule.router.middleware.Identity;
import dev.vestibule.router.middleware.RateLimitSettings;
import dev.vestibule.router.middleware.RateLimiter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * What the edge policy adds to a request, measured in one process, one thread: JWT verification (RS256, ES256) and a
 * rate-limit check in memory and in Redis (a real redis-server, given with {@code --redis redis://...}). Prints the
 * median time per request over rounds. A benchmark, not a test: run it with {@code tests/bench/edge-bench.sh}.
 */
public final class EdgePolicyBenchmark {
    public static void main(String[] args) throws Exception {
        String redisUrl = args.length > 1 && args[0].equals("--redis") ? args[1] : null;
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec").generate();
        Path jwks = Files.createTempFile("bench-jwks", ".json");
        Files.writeString(jwks, new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
        var issuer = new AuthenticationSettings.Issuer("https://bench", null, jwks.toString(), null, List.of("vestibule"),
                List.of(), List.of(), Duration.ofMinutes(5), Duration.ofSeconds(30));
        var settings = new AuthenticationSettings(AuthenticationSettings.Mode.REQUIRED, "authorization", Duration.ofSeconds(60), 8192,
                List.of(issuer), "x-api-key", List.of(), Map.of("sub", "x-user-id"));
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://bench").subject("u1").audience("vestibule")
                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build();
        SignedJWT rs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa").build(), claims);
        rs.sign(new RSASSASigner(rsa));
        SignedJWT es = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec").build(), claims);
        es.sign(new ECDSASigner(ec));
        String rsHeader = "Bearer " + rs.serialize();
        String esHeader = "Bearer " + es.serialize();
        Identity identity = new Identity("u1", "u1", null, List.of(), Map.of("sub", "u1"), "jwt");
        var rule = new RateLimitSettings.Rule("bench", List.of("consumer"), new RateLimitSettings.Limit(1_000_000_000L, Duration.ofSeconds(1), 1_000_000_000L), Map.of());

        System.out.printf("%-40s %12s%n", "per request (median of 5 rounds)", "microseconds");
        try (Authenticator authenticator = new Authenticator(settings)) {
            report("JWT, the same token again (cached)", i -> authenticator.admit(h -> h.equals("authorization") ? rsHeader : null), 200_000);
        }
        // a fresh token for every request: what the first request of each token costs
        int tokens = 5_000;
        String[] rsTokens = new String[tokens];
        String[] esTokens = new String[tokens];
        for (int i = 0; i < tokens; i++) {
            JWTClaimsSet unique = new JWTClaimsSet.Builder(claims).jwtID("t" + i).build();
            SignedJWT r = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa").build(), unique);
            r.sign(new RSASSASigner(rsa));
            rsTokens[i] = "Bearer " + r.serialize();
            SignedJWT e = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec").build(), unique);
            e.sign(new ECDSASigner(ec));
            esTokens[i] = "Bearer " + e.serialize();
        }
        try (Authenticator authenticator = new Authenticator(settings)) {
            report("JWT RS256 verification (new token)", i -> authenticator.admit(h -> h.equals("authorization") ? rsTokens[i % tokens] : null), tokens, true);
        }
        try (Authenticator authenticator = new Authenticator(settings)) {
            report("JWT ES256 verification (new token)", i -> authenticator.admit(h -> h.equals("authorization") ? esTokens[i % tokens] : null), tokens, true);
        }
        try (RateLimiter memory = new RateLimiter(new RateLimitSettings(RateLimitSettings.Backend.MEMORY, null, Duration.ofMillis(200), true, List.of(), List.of(rule)))) {
            report("rate limit, in memory", i -> memory.check(identity, "127.0.0.1", "Op", new HashMap<>()), 200_000);
        }
        if (redisUrl != null) {
            try (RateLimiter redis = new RateLimiter(new RateLimitSettings(RateLimitSettings.Backend.REDIS, redisUrl, Duration.ofSeconds(1), true, List.of(), List.of(rule)))) {
                report("rate limit, Redis (loopback)", i -> redis.check(identity, "127.0.0.1", "Op", new HashMap<>()), 5_000);
            }
        } else {
            System.out.println("(no --redis URL: the Redis rate limiter is not measured)");
        }
    }

    private static void report(String what, IntConsumer operation, int iterations) {
        report(what, operation, iterations, false);
    }

    /** {@code distinct}: every round uses inputs no earlier round used (so no cache can answer them). */
    private static void report(String what, IntConsumer operation, int iterations, boolean distinct) {
        int perRound = distinct ? iterations / 6 : iterations;
        for (int i = 0; i < perRound; i++) operation.accept(i); // warm-up
        double[] rounds = new double[5];
        for (int r = 0; r < rounds.length; r++) {
            int offset = distinct ? (r + 1) * perRound : 0;
            long start = System.nanoTime();
            for (int i = 0; i < perRound; i++) operation.accept(offset + i);
            rounds[r] = (System.nanoTime() - start) / 1e3 / perRound;
        }
        Arrays.sort(rounds);
        System.out.printf("%-40s %12.2f%n", what, rounds[2]);
    }
}
