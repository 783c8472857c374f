package dev.vestibule.router.config;

import dev.vestibule.router.subgraph.SubgraphConnections;
import dev.vestibule.router.tls.CertificateKey;
import dev.vestibule.router.tls.ClientTls;
import dev.vestibule.router.tls.TlsFileException;
import dev.vestibule.router.tls.TrustedCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code subgraph_connections} section: TLS and HTTP/2 toward subgraphs, {@code all} (every subgraph's) and
 * {@code subgraphs.<name>} (one subgraph's, read over {@code all} key by key: a subgraph that sets only {@code http2}
 * keeps {@code all}'s TLS). The PEM files are read here, so a bad one stops the start naming its key.
 */
final class SubgraphConnectionsSection {
    static final String KEY = "subgraph_connections";
    private static final Set<String> CONNECTION_KEYS = Set.of("tls", "http2");

    private SubgraphConnectionsSection() {}

    static SubgraphConnections parse(ConfigNode node, Path base) {
        if (node.isMissing()) return SubgraphConnections.DEFAULTS;
        node.allowOnly(Set.of("all", "subgraphs"));
        SubgraphConnections.Connection all = connection(node.get("all"), SubgraphConnections.Connection.DEFAULTS, base);
        Map<String, SubgraphConnections.Connection> subgraphs = new LinkedHashMap<>();
        node.get("subgraphs").map().forEach((name, subgraph) -> subgraphs.put(name, connection(subgraph, all, base)));
        return new SubgraphConnections(all, subgraphs);
    }

    private static SubgraphConnections.Connection connection(ConfigNode node, SubgraphConnections.Connection base, Path dir) {
        node.allowOnly(CONNECTION_KEYS);
        return new SubgraphConnections.Connection(tls(node.get("tls"), base.tls(), dir),
                node.get("http2").choice(SubgraphConnections.Http2.class, base.http2()));
    }

    private static ClientTls tls(ConfigNode node, ClientTls base, Path dir) {
        if (node.isMissing()) return base;
        node.allowOnly(Set.of("ca_file", "cert_file", "key_file", "reload_interval"));
        ClientTls.Files inherited = base.files();
        Path caFile = inherited == null ? null : inherited.caFile();
        Path certFile = inherited == null ? null : inherited.certFile();
        Path keyFile = inherited == null ? null : inherited.keyFile();
        TrustedCertificates trusted = base.trusted();
        CertificateKey certificate = base.certificate();
        ConfigNode ca = node.get("ca_file");
        if (!ca.isMissing()) {
            caFile = ServerSection.file(ca.requiredString(), dir);
            try {
                trusted = TrustedCertificates.load(caFile);
            } catch (TlsFileException e) {
                throw ca.error(e.getMessage());
            }
        }
        ConfigNode cert = node.get("cert_file");
        ConfigNode key = node.get("key_file");
        if (cert.isMissing() != key.isMissing()) {
            throw (cert.isMissing() ? cert : key).error("a client certificate needs both cert_file and key_file");
        }
        if (!cert.isMissing()) {
            certFile = ServerSection.file(cert.requiredString(), dir);
            keyFile = ServerSection.file(key.requiredString(), dir);
            try {
                certificate = CertificateKey.load(certFile, keyFile, null);
            } catch (TlsFileException e) {
                throw node.error(e.getMessage());
            }
        }
        Duration interval = node.get("reload_interval").positiveDuration(
                inherited == null ? ClientTls.DEFAULT_RELOAD_INTERVAL : inherited.reloadInterval());
        boolean anyFile = caFile != null || certFile != null;
        return new ClientTls(trusted, certificate, anyFile ? new ClientTls.Files(caFile, certFile, keyFile, interval) : null);
    }
}
