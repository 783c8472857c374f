package dev.vestibule.router.http;

import java.time.Duration;
import java.util.List;

/**
 * The HTTP server's settings: request bodies, development mode, slow clients, shutdown and readiness (the config's
 * {@code server} section, and {@code router.max_body_bytes} and {@code router.dev}; docs/configuration.md). The
 * engine's settings are {@link dev.vestibule.router.RouterSettings}.
 *
 * @param maxBodyBytes            the largest request body accepted; larger is 413
 * @param devMode                 development mode: a request with the header {@code x-vestibule-query-plan: true} gets
 *                                its plan in extensions
 * @param bodyReadTimeout         the most a request body may take to arrive, from the request's headers on; then 408
 * @param maxConnectionsPerClient open connections one remote address may hold (0: no limit); more are closed at once
 * @param shutdownDelay           after SIGTERM, how long the listener keeps serving with /ready answering 503, so that
 *                                load balancers stop sending before the router stops accepting
 * @param shutdownGracePeriod     then, how long requests in flight may take to finish before the router exits anyway
 * @param requiredSubgraphs       subgraphs that must answer a probe for /ready to say READY ({@code *}: every one)
 * @param readinessInterval       how often the readiness checks (subgraph probes, the rate limit's Redis) run
 * @param readinessTimeout        the most one readiness check may take before its dependency counts as down
 * @param tls                     TLS at the listener (HTTP/1.1 and h2 by ALPN); null: cleartext
 * @param h2c                     whether the cleartext listener also speaks HTTP/2 (h2c: prior knowledge or Upgrade)
 */
public record ServerSettings(long maxBodyBytes, boolean devMode, Duration bodyReadTimeout, int maxConnectionsPerClient,
                             Duration shutdownDelay, Duration shutdownGracePeriod, List<String> requiredSubgraphs,
                             Duration readinessInterval, Duration readinessTimeout, ServerTls tls, boolean h2c) {
    public static final ServerSettings DEFAULTS = new ServerSettings(2 * 1024 * 1024, false, Duration.ofSeconds(10), 0,
            Duration.ofSeconds(5), Duration.ofSeconds(20), List.of(), Duration.ofSeconds(5), Duration.ofSeconds(2), null, false);

    public ServerSettings {
        requiredSubgraphs = List.copyOf(requiredSubgraphs);
        if (tls != null && h2c) {
            throw new IllegalArgumentException("h2c is HTTP/2 over cleartext; with TLS the listener offers h2 by ALPN already");
        }
    }

    /** Serves over TLS (null: cleartext); HTTP/2 is then offered by ALPN. */
    public ServerSettings withTls(ServerTls settings) {
        return new ServerSettings(maxBodyBytes, devMode, bodyReadTimeout, maxConnectionsPerClient, shutdownDelay, shutdownGracePeriod,
                requiredSubgraphs, readinessInterval, readinessTimeout, settings, h2c);
    }

    /** Whether the cleartext listener also speaks HTTP/2 (h2c). */
    public ServerSettings withH2c(boolean enabled) {
        return new ServerSettings(maxBodyBytes, devMode, bodyReadTimeout, maxConnectionsPerClient, shutdownDelay, shutdownGracePeriod,
                requiredSubgraphs, readinessInterval, readinessTimeout, tls, enabled);
    }

    /** Whether subgraph {@code name} must be up for the router to be ready. */
    boolean requires(String subgraph) {
        return requiredSubgraphs.contains("*") || requiredSubgraphs.contains(subgraph);
    }

    public ServerSettings withMaxBodyBytes(long bytes) {
        return new ServerSettings(bytes, devMode, bodyReadTimeout, maxConnectionsPerClient, shutdownDelay, shutdownGracePeriod,
                requiredSubgraphs, readinessInterval, readinessTimeout, tls, h2c);
    }

    /** Development mode: a request with the header {@code x-vestibule-query-plan: true} gets its plan in extensions. */
    public ServerSettings withDevMode(boolean dev) {
        return new ServerSettings(maxBodyBytes, dev, bodyReadTimeout, maxConnectionsPerClient, shutdownDelay, shutdownGracePeriod,
                requiredSubgraphs, readinessInterval, readinessTimeout, tls, h2c);
    }

    public ServerSettings withShutdown(Duration delay, Duration gracePeriod) {
        return new ServerSettings(maxBodyBytes, devMode, bodyReadTimeout, maxConnectionsPerClient, delay, gracePeriod,
                requiredSubgraphs, readinessInterval, readinessTimeout, tls, h2c);
    }

    public ServerSettings withBodyReadTimeout(Duration timeout) {
        return new ServerSettings(maxBodyBytes, devMode, timeout, maxConnectionsPerClient, shutdownDelay, shutdownGracePeriod,
                requiredSubgraphs, readinessInterval, readinessTimeout, tls, h2c);
    }

    public ServerSettings withMaxConnectionsPerClient(int connections) {
        return new ServerSettings(maxBodyBytes, devMode, bodyReadTimeout, connections, shutdownDelay, shutdownGracePeriod,
                requiredSubgraphs, readinessInterval, readinessTimeout, tls, h2c);
    }

    public ServerSettings withReadiness(List<String> required, Duration interval, Duration timeout) {
        return new ServerSettings(maxBodyBytes, devMode, bodyReadTimeout, maxConnectionsPerClient, shutdownDelay, shutdownGracePeriod,
                required, interval, timeout, tls, h2c);
    }
}
