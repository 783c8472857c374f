package dev.vestibule.router.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate with its chain and its private key, read from PEM files and checked to belong together: the key
 * signs and the certificate's public key verifies (a renewed certificate beside last year's key is refused here, not
 * at the first handshake).
 *
 * @param chain the certificate first, then the intermediates that lead to its CA
 */
public record CertificateKey(PrivateKey key, List<X509Certificate> chain) {
    /** The password of the in-memory key stores made from this: they never touch a disk, the JDK asks for one. */
    static final char[] STORE_PASSWORD = "vestibule".toCharArray();

    public CertificateKey {
        chain = List.copyOf(chain);
    }

    /**
     * Reads {@code certFile} (the certificate, and possibly its chain after it), {@code keyFile} and, when not null,
     * {@code chainFile} (more intermediates, appended).
     *
     * @throws TlsFileException naming the file: missing, not PEM, no certificate or key, or a key of another certificate
     */
    public static CertificateKey load(Path certFile, Path keyFile, Path chainFile) {
        List<X509Certificate> chain = new ArrayList<>(PemFiles.certificates(certFile));
        if (chainFile != null) chain.addAll(PemFiles.certificates(chainFile));
        X509Certificate leaf = chain.getFirst();
        PrivateKey key = PemFiles.privateKey(keyFile, leaf.getPublicKey());
        if (!matches(key, leaf.getPublicKey())) {
            throw new TlsFileException(keyFile, "this key does not match the certificate in " + certFile + " ("
                    + leaf.getSubjectX500Principal().getName() + "); give the key the certificate was issued for");
        }
        return new CertificateKey(key, chain);
    }

    /** Whether {@code key} is the private half of {@code certificateKey}: a signature made with one verifies with the other. */
    static boolean matches(PrivateKey key, PublicKey certificateKey) {
        String algorithm = switch (certificateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (algorithm == null) return true; // a key type without a known signature: the handshake will tell
        byte[] probe = "vestibule key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public X509Certificate certificate() {
        return chain.getFirst();
    }

    /** Whether the certificate is outside its validity period now (served anyway; said in the log). */
    public String validityProblem() {
        try {
            certificate().checkValidity();
            return null;
        } catch (CertificateExpiredException e) {
            return "expired on " + certificate().getNotAfter().toInstant();
        } catch (CertificateNotYetValidException e) {
            return "not valid before " + certificate().getNotBefore().toInstant();
        }
    }

    /** An in-memory key store with this key and chain under the alias {@code vestibule}, password {@link #storePassword()}. */
    public KeyStore keyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("vestibule", key, STORE_PASSWORD, chain.toArray(new X509Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an in-memory key store: " + e.getMessage(), e);
        }
    }

    public static char[] storePassword() {
        return STORE_PASSWORD.clone();
    }

    /** The certificate in one line for logs: subject, serial number, end of validity. */
    public String describe() {
        X509Certificate leaf = certificate();
        return leaf.getSubjectX500Principal().getName() + " (serial " + leaf.getSerialNumber().toString(16) + ", valid until "
                + leaf.getNotAfter().toInstant() + ")";
    }
}
