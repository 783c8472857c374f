package dev.vestibule.router.config;

import dev.vestibule.router.http.ServerSettings;
import dev.vestibule.router.http.ServerTls;
import dev.vestibule.router.tls.CertificateKey;
import dev.vestibule.router.tls.TlsFileException;
import dev.vestibule.router.tls.TrustedCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** The {@code server} section: slow bodies, connections per client, graceful shutdown, readiness, TLS and HTTP/2. */
final class ServerSection {
    static final String KEY = "server";

    private ServerSection() {}

    /** @param router the body limit and development mode, which the {@code router} section holds */
    static ServerSettings parse(ConfigNode node, RouterSection router, Path base) {
        node.allowOnly(Set.of("body_read_timeout", "max_connections_per_client", "shutdown", "readiness", "tls", "h2c"));
        ConfigNode shutdown = node.get("shutdown").allowOnly(Set.of("delay", "grace_period"));
        ConfigNode readiness = node.get("readiness").allowOnly(Set.of("required_subgraphs", "interval", "timeout"));
        ServerSettings d = ServerSettings.DEFAULTS;
        Duration delay = shutdown.get("delay").duration(d.shutdownDelay());
        if (delay.isNegative()) throw shutdown.get("delay").error("must be zero or more");
        return new ServerSettings(router.maxBodyBytes(), router.devMode(), node.get("body_read_timeout").positiveDuration(d.bodyReadTimeout()),
                (int) node.get("max_connections_per_client").number(d.maxConnectionsPerClient(), 0, 1_000_000),
                delay, shutdown.get("grace_period").positiveDuration(d.shutdownGracePeriod()),
                readiness.get("required_subgraphs").strings(), readiness.get("interval").positiveDuration(d.readinessInterval()),
                readiness.get("timeout").positiveDuration(d.readinessTimeout()), d.explorer(),
                tls(node.get("tls"), base), h2c(node));
    }

    private static boolean h2c(ConfigNode node) {
        boolean h2c = node.get("h2c").bool(false);
        if (h2c && !node.get("tls").isMissing()) {
            throw node.get("h2c").error("h2c is HTTP/2 over cleartext; with server.tls the router offers h2 by ALPN already (leave h2c out)");
        }
        return h2c;
    }

    /** The files are read here too, so that a bad one stops the start with its key and what is wrong. */
    private static ServerTls tls(ConfigNode node, Path base) {
        if (node.isMissing()) return null;
        node.allowOnly(Set.of("cert_file", "key_file", "chain_file", "client_ca_file", "reload_interval"));
        Path cert = file(node.get("cert_file").requiredString(), base);
        Path key = file(node.get("key_file").requiredString(), base);
        String chain = node.get("chain_file").string(null);
        String clientCa = node.get("client_ca_file").string(null);
        ServerTls tls = new ServerTls(cert, key, chain == null ? null : file(chain, base), clientCa == null ? null : file(clientCa, base),
                node.get("reload_interval").positiveDuration(ServerTls.DEFAULT_RELOAD_INTERVAL));
        try {
            CertificateKey.load(tls.certFile(), tls.keyFile(), tls.chainFile());
            if (tls.clientCaFile() != null) TrustedCertificates.load(tls.clientCaFile());
        } catch (TlsFileException e) {
            throw node.error(e.getMessage());
        }
        return tls;
    }

    /** A file named in the config: relative to the config file's directory. */
    static Path file(String name, Path base) {
        Path path = Path.of(name);
        return path.isAbsolute() || base == null ? path : base.resolve(path);
    }
}
