package dev.vestibule.router.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP server's settings: request bodies, development mode, slow clients, shutdown and readiness (the config's
 * {@code server} section, and {@code router.max_body_bytes} and {@code router.dev}; docs/configuration.md). The
 * engine's settings are {@link dev.vestibule.router.RouterSettings}.
 *
 * @param maxBodyBytes            the largest request body accepted; larger is 413
 * @param devMode                 development mode: a request with the header {@code x-vestibule-query-plan: true} gets
 *                                its plan and trace in extensions, and the explorer page is served
 * @param bodyReadTimeout         the most a request body may take to arrive, from the request's headers on; then 408
 * @param maxConnectionsPerClient open connections one remote address may hold (0: no limit); more are closed at once
 * @param shutdownDelay           after SIGTERM, how long the listener keeps serving with /ready answering 503, so that
 *                                load balancers stop sending before the router stops accepting
 * @param shutdownGracePeriod     then, how long requests in flight may take to finish before the router exits anyway
 * @param requiredSubgraphs       subgraphs that must answer a probe for /ready to say READY ({@code *}: every one)
 * @param readinessInterval       how often the readiness checks (subgraph probes, the rate limit's Redis) run
 * @param readinessTimeout        the most one readiness check may take before its dependency counts as down
 * @param explorer                the explorer page and the plans it shows (the config's {@code explorer} section;
 *                                development mode turns both on)
 * @param tls                     TLS at the listener (HTTP/1.1 and h2 by ALPN); null: cleartext
 * @param h2c                     whether the cleartext listener also speaks HTTP/2 (h2c: prior knowledge or Upgrade)
 */
public record ServerSettings(long maxBodyBytes, boolean devMode, Duration bodyReadTimeout, int maxConnectionsPerClient,
                             Duration shutdownDelay, Duration shutdownGracePeriod, List<String> requiredSubgraphs,
                             Duration readinessInterval, Duration readinessTimeout, Explorer explorer, ServerTls tls,
                             boolean h2c) {
    public static final ServerSettings DEFAULTS = new ServerSettings(2 * 1024 * 1024, false, Duration.ofSeconds(10), 0,
            Duration.ofSeconds(5), Duration.ofSeconds(20), List.of(), Duration.ofSeconds(5), Duration.ofSeconds(2), Explorer.OFF,
            null, false);

    public ServerSettings {
        requiredSubgraphs = List.copyOf(requiredSubgraphs);
        Objects.requireNonNull(explorer, "explorer");
        if (tls != null && h2c) {
            throw new IllegalArgumentException("h2c is HTTP/2 over cleartext; with TLS the listener offers h2 by ALPN already");
        }
    }

    /**
     * The explorer page (docs/explorer.md): GraphiQL with a query plan panel on {@code GET /}, and on {@code GET /graphql}
     * for a browser (Accept: text/html).
     *
     * @param enabled     serve the page
     * @param exposePlans a request with {@code x-vestibule-query-plan: true} gets its plan and trace in extensions
     *                    (subgraph names, operations, timings; never subgraph URLs)
     * @param planSecret  when set (with exposePlans), the header must carry this value instead of {@code true}; null:
     *                    none
     */
    public record Explorer(boolean enabled, boolean exposePlans, String planSecret) {
        public static final Explorer OFF = new Explorer(false, false, null);

        public Explorer(boolean enabled, boolean exposePlans) {
            this(enabled, exposePlans, null);
        }

        @Override
        public String toString() { // the secret stays out of logs and error messages
            return "Explorer[enabled=" + enabled + ", exposePlans=" + exposePlans + ", planSecret=" + (planSecret == null ? "none" : "set") + "]";
        }
    }

    /** Whether the explorer page is served: in development mode, or when the config enables it. */
    public boolean explorerEnabled() {
        return devMode || explorer.enabled();
    }

    /**
     * Whether a request whose {@code x-vestibule-query-plan} header says {@code value} (null: absent) gets its plan and
     * trace: {@code true} in development mode; otherwise only with explorer.expose_plans, and then the header must be
     * {@code true}, or the plan secret when one is configured (compared in constant time).
     */
    public boolean exposesPlan(String value) {
        if (value == null) return false;
        boolean asked = value.equalsIgnoreCase("true");
        if (devMode && asked) return true;
        if (!explorer.exposePlans()) return false;
        String secret = explorer.planSecret();
        return secret == null ? asked
                : MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    public ServerSettings withExplorer(Explorer page) {
        return new ServerSettings(maxBodyBytes, devMode, bodyReadTimeout, maxConnectionsPerClient, shutdownDelay, shutdownGracePeriod,
                requiredSubgraphs, readinessInterval, readinessTimeout, page, tls, h2c);
    }

    /** Serves over TLS (null: cleartext); HTTP/2 is then offered by ALPN. */
    public ServerSettings withTls(ServerTls settings) {
        return new ServerSettings(maxBodyBytes, devMode, bodyReadTimeout, maxConnectionsPerClient, shutdownDelay, shutdownGracePeriod,
                requiredSubgraphs, readinessInterval, readinessTimeout, explorer, settings, h2c);
    }

    /** Whether the cleartext listener also speaks HTTP/2 (h2c). */
    public ServerSettings withH2c(boolean enabled) {
        return new ServerSettings(maxBodyBytes, devMode, bodyReadTimeout, maxConnectionsPerClient, shutdownDelay, shutdownGracePeriod,
                requiredSubgraphs, readinessInterval, readinessTimeout, explorer, tls, enabled);
    }

    /** Whether subgraph {@code name} must be up for the router to be ready. */
    boolean requires(String subgraph) {
        return requiredSubgraphs.contains("*") || requiredSubgraphs.contains(subgraph);
    }

    public ServerSettings withMaxBodyBytes(long bytes) {
        return new ServerSettings(bytes, devMode, bodyReadTimeout, maxConnectionsPerClient, shutdownDelay, shutdownGracePeriod,
                requiredSubgraphs, readinessInterval, readinessTimeout, explorer, tls, h2c);
    }

    /** Development mode: a request with the header {@code x-vestibule-query-plan: true} gets its plan in extensions. */
    public ServerSettings withDevMode(boolean dev) {
        return new ServerSettings(maxBodyBytes, dev, bodyReadTimeout, maxConnectionsPerClient, shutdownDelay, shutdownGracePeriod,
                requiredSubgraphs, readinessInterval, readinessTimeout, explorer, tls, h2c);
    }

    public ServerSettings withShutdown(Duration delay, Duration gracePeriod) {
        return new ServerSettings(maxBodyBytes, devMode, bodyReadTimeout, maxConnectionsPerClient, delay, gracePeriod,
                requiredSubgraphs, readinessInterval, readinessTimeout, explorer, tls, h2c);
    }

    public ServerSettings withBodyReadTimeout(Duration timeout) {
        return new ServerSettings(maxBodyBytes, devMode, timeout, maxConnectionsPerClient, shutdownDelay, shutdownGracePeriod,
                requiredSubgraphs, readinessInterval, readinessTimeout, explorer, tls, h2c);
    }

    public ServerSettings withMaxConnectionsPerClient(int connections) {
        return new ServerSettings(maxBodyBytes, devMode, bodyReadTimeout, connections, shutdownDelay, shutdownGracePeriod,
                requiredSubgraphs, readinessInterval, readinessTimeout, explorer, tls, h2c);
    }

    public ServerSettings withReadiness(List<String> required, Duration interval, Duration timeout) {
        return new ServerSettings(maxBodyBytes, devMode, bodyReadTimeout, maxConnectionsPerClient, shutdownDelay, shutdownGracePeriod,
                required, interval, timeout, explorer, tls, h2c);
    }
}
