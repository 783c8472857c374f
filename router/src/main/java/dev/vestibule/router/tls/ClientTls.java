package dev.vestibule.router.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The client side of TLS toward one server (a subgraph): whom to trust and which certificate to present.
 *
 * @param trusted     the CAs the server's certificate must chain to; null: the JDK's default trust store
 * @param certificate the client certificate for mutual TLS; null: none
 */
public record ClientTls(TrustedCertificates trusted, CertificateKey certificate) {
    /** The JDK's trust store and no client certificate. */
    public static final ClientTls DEFAULTS = new ClientTls(null, null);

    public boolean isDefault() {
        return trusted == null && certificate == null;
    }

    /** A socket factory and the trust manager it checks servers with (OkHttp wants both). */
    public record Context(SSLSocketFactory socketFactory, X509TrustManager trustManager) {}

    /** A fresh TLS context (TLS 1.3 and 1.2, the JDK's defaults otherwise). */
    public Context context() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted == null ? null : trusted.keyStore());
            X509TrustManager trustManager = null;
            for (TrustManager manager : trust.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) trustManager = x509;
            }
            if (trustManager == null) throw new IllegalStateException("the JDK made no X.509 trust manager");
            KeyManagerFactory keys = null;
            if (certificate != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                KeyStore store = certificate.keyStore();
                keys.init(store, CertificateKey.storePassword());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), new TrustManager[] {trustManager}, null);
            return new Context(context.getSocketFactory(), trustManager);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }
}
