package dev.vestibule.router.http;

import dev.vestibule.router.files.WatchedFiles;
import dev.vestibule.router.tls.CertificateKey;
import dev.vestibule.router.tls.TlsFileException;
import dev.vestibule.router.tls.TrustedCertificates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener's TLS: Jetty's {@link SslContextFactory.Server} made from the PEM files of {@link ServerTls}, TLS 1.3
 * and 1.2 only, and those files watched. When one changes, all of them are read and checked (PEM, the key matches the
 * certificate) before anything is swapped: then {@link SslContextFactory#reload} serves new handshakes with the new
 * certificate while open connections keep the one they began with. A file that does not read keeps the old
 * certificate serving and says why in the log, once per content (a certificate and key written one after the other
 * meet at the next check).
 */
public final class ServerCertificates implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificates.class);
    /** Only these: TLS 1.1 and older are broken or deprecated (RFC 8996). */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final ServerTls settings;
    private final SslContextFactory.Server factory;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong failedReloads = new AtomicLong();
    private volatile CertificateKey serving;
    private volatile String lastProblem;
    /** The files, to see a change of their content (served or refused once). */
    private final WatchedFiles files;
    private final Thread watcher;

    private ServerCertificates(ServerTls settings) {
        this.settings = settings;
        this.factory = new SslContextFactory.Server();
        factory.setIncludeProtocols(PROTOCOLS);
        factory.setKeyManagerPassword(new String(CertificateKey.storePassword()));
        factory.setKeyStorePassword(new String(CertificateKey.storePassword()));
        if (settings.clientCaFile() != null) factory.setNeedClientAuth(true);
        this.files = new WatchedFiles(watchedFiles(settings));
        Material material = read(); // a bad file at start stops it (the config check read them already)
        apply(factory, material);
        this.serving = material.certificate();
        warnIfInvalid(material.certificate());
        this.watcher = Thread.ofVirtual().name("vestibule-tls-reload").unstarted(this::watch);
    }

    /** Reads the files (throws {@link TlsFileException} naming the one that is wrong); {@link #startWatching} watches them. */
    public static ServerCertificates load(ServerTls settings) {
        return new ServerCertificates(settings);
    }

    /** From now on, checks the files every {@link ServerTls#reloadInterval()} until {@link #close}. */
    void startWatching() {
        watcher.start();
    }

    public SslContextFactory.Server factory() {
        return factory;
    }

    /** The certificate new handshakes get. */
    public CertificateKey serving() {
        return serving;
    }

    /** Certificate changes served so far. */
    public long reloads() {
        return reloads.get();
    }

    /** Changed files that were refused (the previous certificate kept serving). */
    public long failedReloads() {
        return failedReloads.get();
    }

    /** Why the last refused change was refused (null when none was). */
    public String lastProblem() {
        return lastProblem;
    }

    private record Material(CertificateKey certificate, TrustedCertificates clientCas) {}

    private Material read() {
        CertificateKey certificate = CertificateKey.load(settings.certFile(), settings.keyFile(), settings.chainFile());
        TrustedCertificates clientCas = settings.clientCaFile() == null ? null : TrustedCertificates.load(settings.clientCaFile());
        return new Material(certificate, clientCas);
    }

    private static void apply(SslContextFactory.Server factory, Material material) {
        factory.setKeyStore(material.certificate().keyStore());
        if (material.clientCas() != null) factory.setTrustStore(material.clientCas().keyStore());
    }

    private void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(settings.reloadInterval());
            } catch (InterruptedException e) {
                return;
            }
            checkNow();
        }
    }

    /** Reads the files again if any changed since they were last read; serves them if they are good. */
    synchronized void checkNow() {
        if (!files.changedAndSettled()) return;
        Material material;
        try {
            material = read();
        } catch (TlsFileException e) {
            refuse(e.getMessage());
            return;
        }
        try {
            factory.reload(f -> apply((SslContextFactory.Server) f, material));
        } catch (Exception e) {
            refuse("the TLS context could not be rebuilt: " + e.getMessage());
            // put the previous certificate back (Jetty unloaded it): it loaded before, so it loads again
            try {
                CertificateKey previous = serving;
                factory.reload(f -> f.setKeyStore(previous.keyStore()));
            } catch (Exception again) {
                LOG.error("server.tls: the previous certificate could not be restored either: {}", again.getMessage());
            }
            return;
        }
        serving = material.certificate();
        reloads.incrementAndGet();
        lastProblem = null;
        LOG.info("server.tls: serving the new certificate {} to new connections; open connections keep theirs",
                material.certificate().describe());
        warnIfInvalid(material.certificate());
    }

    private void refuse(String problem) {
        failedReloads.incrementAndGet();
        lastProblem = problem;
        LOG.error("server.tls: the changed certificate files were not loaded ({}); still serving {}", problem, serving.describe());
    }

    private static void warnIfInvalid(CertificateKey certificate) {
        String problem = certificate.validityProblem();
        if (problem != null) LOG.warn("server.tls: the certificate {} is {}; clients will refuse it", certificate.describe(), problem);
    }

    private static List<Path> watchedFiles(ServerTls settings) {
        List<Path> files = new ArrayList<>(List.of(settings.certFile(), settings.keyFile()));
        if (settings.chainFile() != null) files.add(settings.chainFile());
        if (settings.clientCaFile() != null) files.add(settings.clientCaFile());
        return files;
    }

    @Override
    public void close() {
        watcher.interrupt();
    }
}
