package dev.vestibule.router.middleware;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * EdDSA (Ed25519) tokens, verified with the JDK's own Ed25519 (nimbus would need Google Tink for them): a key selector
 * that turns the issuer's OKP keys into JDK public keys, and a verifier factory that checks EdDSA signatures with
 * them. Every other algorithm goes to nimbus as before.
 */
final class EdDsaSupport {
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32-byte key follows. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private EdDsaSupport() {}

    static JWSKeySelector<SecurityContext> keySelector(JWSKeySelector<SecurityContext> others, JWKSource<SecurityContext> keys,
                                                       Set<JWSAlgorithm> allowed) {
        return (header, context) -> {
            if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) return others.selectJWSKeys(header, context);
            if (!allowed.contains(JWSAlgorithm.EdDSA)) return List.of();
            List<Key> selected = new ArrayList<>();
            for (JWK jwk : keys.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), context)) {
                if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) selected.add(publicKey(okp.getX()));
            }
            return selected;
        };
    }

    static PublicKey publicKey(Base64URL x) {
        byte[] raw = x.decode();
        byte[] der = new byte[X509_PREFIX.length + raw.length];
        System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
        System.arraycopy(raw, 0, der, X509_PREFIX.length, raw.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not an Ed25519 public key", e);
        }
    }

    static final class VerifierFactory extends DefaultJWSVerifierFactory {
        @Override
        public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
            if (JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) && key instanceof PublicKey publicKey) return new Verifier(publicKey);
            return super.createJWSVerifier(header, key);
        }
    }

    private record Verifier(PublicKey key) implements JWSVerifier {
        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
            try {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key);
                verifier.update(signingInput);
                return verifier.verify(signature.decode());
            } catch (GeneralSecurityException e) {
                throw new JOSEException("EdDSA verification failed: " + e.getMessage(), e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.EdDSA);
        }

        @Override
        public JCAContext getJCAContext() {
            return new JCAContext();
        }
    }
}
