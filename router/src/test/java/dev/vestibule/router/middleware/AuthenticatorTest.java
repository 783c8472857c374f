package dev.vestibule.router.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scope requirements on the route, the optional mode, and the cache of verified tokens honouring exp. */
class AuthenticatorTest {
    private static final String SECRET = "an-hmac-secret-of-at-least-32-characters";

    private static AuthenticationSettings settings(AuthenticationSettings.Mode mode, List<String> requiredScopes) {
        return new AuthenticationSettings(mode, "authorization", Duration.ofSeconds(1), 8192,
                List.of(new AuthenticationSettings.Issuer("https://i", null, null, SECRET, List.of(), List.of(), List.of(),
                        Duration.ofMinutes(5), Duration.ofSeconds(30))), "x-api-key", List.of(), Map.of("sub", "x-user-id"), requiredScopes,
                Map.of("/public", AuthenticationSettings.Mode.OFF));
    }

    private static String token(String scope, long expiresInMillis) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().issuer("https://i").subject("u1")
                .claim("scope", scope).expirationTime(new Date(System.currentTimeMillis() + expiresInMillis)).build());
        jwt.sign(new MACSigner(SECRET));
        return "Bearer " + jwt.serialize();
    }

    @Test
    void aTokenWithoutTheRequiredScopeIsForbidden() throws Exception {
        try (Authenticator authenticator = new Authenticator(settings(AuthenticationSettings.Mode.REQUIRED, List.of("graphql:read")))) {
            String weak = token("profile", 60_000);
            Admission refused = authenticator.admit(h -> h.equals("authorization") ? weak : null);
            assertThat(refused).isInstanceOfSatisfying(Admission.Refused.class, r -> {
                assertThat(r.status()).isEqualTo(403);
                assertThat(r.headers().get("WWW-Authenticate")).contains("error=\"insufficient_scope\"").contains("scope=\"graphql:read\"");
            });
            String strong = token("profile graphql:read", 60_000);
            assertThat(authenticator.admit(h -> h.equals("authorization") ? strong : null)).isInstanceOf(Admission.Admitted.class);
        }
    }

    @Test
    void optionalModeLetsAnonymousCallersThroughButNotBadTokens() throws Exception {
        try (Authenticator authenticator = new Authenticator(settings(AuthenticationSettings.Mode.OPTIONAL, List.of()))) {
            assertThat(authenticator.admit(h -> null)).isInstanceOfSatisfying(Admission.Admitted.class, a -> assertThat(a.identity()).isNull());
            assertThat(authenticator.admit(h -> h.equals("authorization") ? "Bearer nope" : null)).isInstanceOf(Admission.Refused.class);
        }
    }

    @Test
    void aCachedTokenStillExpires() throws Exception {
        try (Authenticator authenticator = new Authenticator(settings(AuthenticationSettings.Mode.REQUIRED, List.of()))) {
            String shortLived = token("read", 1_500);
            assertThat(authenticator.admit(h -> h.equals("authorization") ? shortLived : null)).isInstanceOf(Admission.Admitted.class);
            Thread.sleep(3_000); // past exp and the 1 s clock skew
            assertThat(authenticator.admit(h -> h.equals("authorization") ? shortLived : null)).isInstanceOf(Admission.Refused.class);
        }
    }

    @Test
    void eachRouteHasItsMode() throws Exception {
        try (Authenticator authenticator = new Authenticator(settings(AuthenticationSettings.Mode.REQUIRED, List.of()))) {
            assertThat(authenticator.admit("/graphql", h -> null)).isInstanceOf(Admission.Refused.class);
            assertThat(authenticator.admit("/public", h -> null)).isInstanceOf(Admission.Admitted.class);
        }
    }
}
