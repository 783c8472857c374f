package dev.vestibule.tests.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.util.Date;
import java.util.function.UnaryOperator;

/**
 * Token minting for tests: JWTs signed as an identity provider would sign them, for the router's authentication to
 * verify (HS256 with a shared secret, RS256 and ES256 with a key whose public half the router's JWKS holds).
 */
public final class Tokens {
    /** The HMAC secret the tests' configs share (HS256 needs at least 32 bytes). */
    public static final String SECRET = "an-hmac-secret-of-at-least-32-characters";
    /** The issuer the tests' configs trust. */
    public static final String ISSUER = "https://issuer.test";

    private Tokens() {}

    /** Claims from {@link #ISSUER} expiring {@code ttl} from now, with the subject given (null: none). */
    public static JWTClaimsSet.Builder claims(String subject, Duration ttl) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER)
                .expirationTime(new Date(System.currentTimeMillis() + ttl.toMillis()));
        return subject == null ? claims : claims.subject(subject);
    }

    /** HS256 with {@link #SECRET}: subject u1, expiring in a minute, and what {@code more} adds. */
    public static String hs256(UnaryOperator<JWTClaimsSet.Builder> more) {
        return hs256(SECRET, more.apply(claims("u1", Duration.ofMinutes(1))).build());
    }

    /** HS256 with {@code secret} over {@code claims}. */
    public static String hs256(String secret, JWTClaimsSet claims) {
        return sign(new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims), () -> new MACSigner(secret));
    }

    /** RS256 with {@code key}, its key id and type JWT in the header. */
    public static String rs256(JWTClaimsSet claims, RSAKey key) {
        return sign(new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims),
                () -> new RSASSASigner(key));
    }

    /** ES256 with {@code key}, its key id in the header. */
    public static String es256(JWTClaimsSet claims, ECKey key) {
        return sign(new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims),
                () -> new ECDSASigner(key));
    }

    /** The Authorization header's value for a token. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    private interface Signer {
        JWSSigner make() throws JOSEException;
    }

    private static String sign(SignedJWT jwt, Signer signer) {
        try {
            jwt.sign(signer.make());
        } catch (JOSEException e) {
            throw new IllegalStateException("a test token could not be signed", e);
        }
        return jwt.serialize();
    }
}
