package dev.vestibule.router.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The client side of TLS toward one server (a subgraph): whom to trust and which certificate to present.
 *
 * @param trusted     the CAs the server's certificate must chain to; null: the JDK's default trust store
 * @param certificate the client certificate for mutual TLS; null: none
 * @param files       the files both were read from, watched for changes; null: neither is read again
 */
public record ClientTls(TrustedCertificates trusted, CertificateKey certificate, Files files) {
    /** The JDK's trust store and no client certificate. */
    public static final ClientTls DEFAULTS = new ClientTls(null, null, null);
    /** How often the files are checked for a change by default (the server's certificate files: the same). */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

    /** Read once: nothing watched. */
    public ClientTls(TrustedCertificates trusted, CertificateKey certificate) {
        this(trusted, certificate, null);
    }

    public boolean isDefault() {
        return trusted == null && certificate == null;
    }

    /**
     * The PEM files of a client TLS setting, checked for a change at most every {@code reloadInterval}.
     *
     * @param caFile   null: the JDK's trust store
     * @param certFile null (and {@code keyFile} null): no client certificate
     */
    public record Files(Path caFile, Path certFile, Path keyFile, Duration reloadInterval) {
        /** Reads the files. @throws TlsFileException naming the one that is wrong */
        public ClientTls load() {
            return new ClientTls(caFile == null ? null : TrustedCertificates.load(caFile),
                    certFile == null ? null : CertificateKey.load(certFile, keyFile, null), this);
        }
    }

    /** A socket factory and the trust manager it checks servers with (OkHttp wants both). */
    public record Context(SSLSocketFactory socketFactory, X509TrustManager trustManager) {}

    /**
     * A fresh TLS context (TLS 1.3 and 1.2, the JDK's defaults otherwise); with {@link #files}, one that reads them again
     * when they change.
     */
    public Context context() {
        if (files != null) return new WatchedClientTls(this).context();
        try {
            Managers managers = managers();
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(managers.keys() == null ? null : new KeyManager[] {managers.keys()},
                    new TrustManager[] {managers.trust()}, null);
            return new Context(context.getSocketFactory(), managers.trust());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    /** The JDK's managers for this material: whom to trust, and the client certificate (null keys: none). */
    record Managers(X509ExtendedTrustManager trust, X509ExtendedKeyManager keys) {}

    Managers managers() {
        try {
            TrustManagerFactory trustFactory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustFactory.init(trusted == null ? null : trusted.keyStore());
            X509ExtendedTrustManager trust = null;
            for (TrustManager manager : trustFactory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) trust = x509;
            }
            if (trust == null) throw new IllegalStateException("the JDK made no X.509 trust manager");
            X509ExtendedKeyManager keys = null;
            if (certificate != null) {
                KeyManagerFactory keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyFactory.init(certificate.keyStore(), CertificateKey.storePassword());
                for (KeyManager manager : keyFactory.getKeyManagers()) {
                    if (manager instanceof X509ExtendedKeyManager x509) keys = x509;
                }
                if (keys == null) throw new IllegalStateException("the JDK made no X.509 key manager");
            }
            return new Managers(trust, keys);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }
}
