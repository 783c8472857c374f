package dev.vestibule.router.tls;

import dev.vestibule.router.files.WatchedFiles;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client TLS context whose CA file and client certificate are read again when they change, so that a rotated
 * certificate (cert-manager, Vault, a renewed private CA) reaches new subgraph connections without a restart. The files
 * are checked at most once per interval, by the handshake that comes after it: no thread of its own, and nothing to do
 * while no connection opens. Changed files are all read and checked (PEM, the key matches the certificate) before they
 * are used; files that do not read leave the previous material in use and say why in the log, once per content.
 * Connections already open keep the certificate they began with.
 */
final class WatchedClientTls {
    private static final Logger LOG = LoggerFactory.getLogger(WatchedClientTls.class);

    private final ClientTls.Files files;
    private final long intervalNanos;
    private final AtomicLong generations = new AtomicLong();
    private volatile Material current;
    /** The material before the current one: a handshake that chose its alias just before a change finishes with it. */
    private volatile Material previous;
    private final WatchedFiles watched;
    private volatile long nextCheckNanos;

    /** The managers of one reading of the files; {@code generation} goes into the aliases handed to the JDK. */
    private record Material(long generation, X509ExtendedKeyManager keys, X509ExtendedTrustManager trust, String description) {}

    WatchedClientTls(ClientTls first) {
        this.files = Objects.requireNonNull(first.files(), "files");
        this.intervalNanos = files.reloadInterval().toNanos();
        // the files as they are now (they may have changed since the config read them), or as the config read them
        this.watched = new WatchedFiles(Stream.of(files.caFile(), files.certFile(), files.keyFile()).filter(Objects::nonNull).toList());
        ClientTls now;
        try {
            now = files.load();
        } catch (RuntimeException e) {
            now = first;
        }
        this.current = material(now);
        this.nextCheckNanos = System.nanoTime() + intervalNanos;
    }

    ClientTls.Context context() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            X509ExtendedTrustManager trust = new Trust();
            context.init(files.certFile() == null ? null : new KeyManager[] {new Keys()}, new TrustManager[] {trust}, null);
            return new ClientTls.Context(context.getSocketFactory(), trust);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    /** The material in use, after reading the files again if the interval has passed and they changed. */
    private Material checked() {
        if (System.nanoTime() - nextCheckNanos >= 0) checkNow();
        return current;
    }

    private synchronized void checkNow() {
        long now = System.nanoTime();
        if (now - nextCheckNanos < 0) return;
        nextCheckNanos = now + intervalNanos;
        if (!watched.changedAndSettled()) return;
        try {
            Material next = material(files.load());
            previous = current;
            current = next;
            LOG.info("subgraph_connections: new subgraph connections use the changed TLS files ({}); open ones keep theirs",
                    next.description());
        } catch (RuntimeException e) { // a TlsFileException names the file and what is wrong with it
            LOG.error("subgraph_connections: the changed TLS files were not loaded ({}); still using {}", e.getMessage(),
                    current.description());
        }
    }

    private Material material(ClientTls tls) {
        ClientTls.Managers managers = tls.managers();
        String description = (tls.certificate() == null ? "no client certificate" : "client certificate " + tls.certificate().describe())
                + (tls.trusted() == null ? "" : ", " + tls.trusted().certificates().size() + " trusted CA certificate(s)");
        return new Material(generations.incrementAndGet(), managers.keys(), managers.trust(), description);
    }

    /** The material an alias this class handed out belongs to (null when both it and its successor were replaced). */
    private Material of(String alias) {
        int colon = alias == null ? -1 : alias.indexOf(':');
        if (colon < 0) return null;
        long generation = Long.parseLong(alias, 0, colon, 10);
        Material now = current;
        if (now.generation() == generation) return now;
        Material before = previous;
        return before != null && before.generation() == generation ? before : null;
    }

    private static String inner(String alias) {
        return alias.substring(alias.indexOf(':') + 1);
    }

    private static String outer(Material material, String alias) {
        return alias == null ? null : material.generation() + ":" + alias;
    }

    /** The client certificate: the alias chosen names the reading it came from, so chain and key always match. */
    private final class Keys extends X509ExtendedKeyManager {
        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            Material material = checked();
            return material.keys() == null ? null : outer(material, material.keys().chooseClientAlias(keyType, issuers, socket));
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            Material material = checked();
            return material.keys() == null ? null : outer(material, material.keys().chooseEngineClientAlias(keyType, issuers, engine));
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            Material material = checked();
            if (material.keys() == null) return null;
            String[] aliases = material.keys().getClientAliases(keyType, issuers);
            if (aliases == null) return null;
            return Arrays.stream(aliases).map(alias -> outer(material, alias)).toArray(String[]::new);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            Material material = of(alias);
            return material == null || material.keys() == null ? null : material.keys().getCertificateChain(inner(alias));
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            Material material = of(alias);
            return material == null || material.keys() == null ? null : material.keys().getPrivateKey(inner(alias));
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null; // a client only
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    /** Whom to trust: the CA file as last read. */
    private final class Trust extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checked().trust().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checked().trust().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            checked().trust().checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("the router's subgraph connections are clients only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("the router's subgraph connections are clients only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the router's subgraph connections are clients only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return current.trust().getAcceptedIssuers();
        }
    }
}
