package dev.vestibule.router.http;

import java.nio.file.Path;
import java.time.Duration;

/**
 * TLS at the router's listener (config {@code server.tls}): PEM files, read at start and again whenever one changes.
 *
 * @param certFile       the server certificate, possibly followed by its intermediates (a "fullchain" file)
 * @param keyFile        its private key (PKCS#8 {@code PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE KEY}), unencrypted
 * @param chainFile      more intermediates, sent after the certificate; null: none (or they are in certFile)
 * @param clientCaFile   CAs that client certificates must chain to: with it, every client must present one (mutual
 *                       TLS); null: no client certificate is asked for
 * @param reloadInterval how often the files are checked for a change
 */
public record ServerTls(Path certFile, Path keyFile, Path chainFile, Path clientCaFile, Duration reloadInterval) {
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

    public ServerTls(Path certFile, Path keyFile) {
        this(certFile, keyFile, null, null, DEFAULT_RELOAD_INTERVAL);
    }

    public ServerTls withClientCa(Path file) {
        return new ServerTls(certFile, keyFile, chainFile, file, reloadInterval);
    }

    public ServerTls withReloadInterval(Duration interval) {
        return new ServerTls(certFile, keyFile, chainFile, clientCaFile, interval);
    }
}
