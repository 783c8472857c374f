package dev.vestibule.router.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/** CA certificates read from a PEM file: whom a TLS peer's certificate must chain to. */
public record TrustedCertificates(List<X509Certificate> certificates) {
    public TrustedCertificates {
        certificates = List.copyOf(certificates);
    }

    /** @throws TlsFileException naming the file: missing, not PEM, or no certificate in it */
    public static TrustedCertificates load(Path file) {
        return new TrustedCertificates(PemFiles.certificates(file));
    }

    /** An in-memory trust store holding these certificates (no password). */
    public KeyStore keyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) store.setCertificateEntry("ca-" + i, certificates.get(i));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an in-memory trust store: " + e.getMessage(), e);
        }
    }
}
